package api

//go:generate bash generate.sh
