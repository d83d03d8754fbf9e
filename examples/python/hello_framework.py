#!/usr/bin/env python3
"""A Mesos v1 scheduler in plain Python (standard library only), speaking JSON.

It subscribes, launches one task from the first offer, acknowledges every
update, and exits 0 when the task finishes (1 if it ends any other way).

    python3 hello_framework.py 127.0.0.1:5050 [command]

Run against `mesos-sim` or a real Mesos master: the code cannot tell them apart.
"""
import http.client
import json
import sys


def read_records(resp):
    """Yields the records of a RecordIO stream: "<length>\\n<bytes>"."""
    while True:
        line = resp.readline()
        if not line:
            return
        size = int(line.strip())
        yield resp.read(size)


def main():
    master = sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:5050"
    command = sys.argv[2] if len(sys.argv) > 2 else "echo hello"
    host, port = master.rsplit(":", 1)

    stream = http.client.HTTPConnection(host, int(port), timeout=30)
    subscribe = {"type": "SUBSCRIBE",
                 "subscribe": {"framework_info": {"user": "nobody", "name": "hello-python"}}}
    stream.request("POST", "/api/v1/scheduler", json.dumps(subscribe),
                   {"Content-Type": "application/json", "Accept": "application/json"})
    resp = stream.getresponse()
    if resp.status != 200:
        sys.exit("SUBSCRIBE: %d %s" % (resp.status, resp.read().decode()))
    stream_id = resp.getheader("Mesos-Stream-Id")
    framework_id = None

    def call(body):
        body["framework_id"] = framework_id
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request("POST", "/api/v1/scheduler", json.dumps(body),
                     {"Content-Type": "application/json", "Mesos-Stream-Id": stream_id})
        answer = conn.getresponse()
        answer.read()
        if answer.status != 202:
            sys.exit("%s: %d" % (body["type"], answer.status))

    launched = False
    for record in read_records(resp):
        event = json.loads(record)
        kind = event["type"]
        if kind == "SUBSCRIBED":
            framework_id = event["subscribed"]["framework_id"]
            print("subscribed as", framework_id["value"])
        elif kind == "OFFERS":
            for offer in event["offers"]["offers"]:
                ops = []
                if not launched:
                    launched = True
                    ops = [{"type": "LAUNCH", "launch": {"task_infos": [{
                        "name": "hello", "task_id": {"value": "hello-1"},
                        "agent_id": offer["agent_id"],
                        "resources": [
                            {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
                            {"name": "mem", "type": "SCALAR", "scalar": {"value": 32}}],
                        "command": {"value": command}}]}}]
                    print("launching on", offer["hostname"])
                call({"type": "ACCEPT", "accept": {"offer_ids": [offer["id"]], "operations": ops}})
        elif kind == "UPDATE":
            status = event["update"]["status"]
            print("task", status["task_id"]["value"], status["state"])
            if "uuid" in status:
                call({"type": "ACKNOWLEDGE", "acknowledge": {
                    "agent_id": status["agent_id"], "task_id": status["task_id"],
                    "uuid": status["uuid"]}})
            if status["state"] in ("TASK_FINISHED", "TASK_FAILED", "TASK_KILLED",
                                   "TASK_LOST", "TASK_ERROR", "TASK_DROPPED"):
                call({"type": "TEARDOWN"})
                sys.exit(0 if status["state"] == "TASK_FINISHED" else 1)
        elif kind == "ERROR":
            sys.exit("error: " + event["error"]["message"])
    sys.exit("the event stream ended")


if __name__ == "__main__":
    main()
