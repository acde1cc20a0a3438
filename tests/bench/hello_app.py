"""The baseline: a bare Flask app with one JSON endpoint (and the health check the benchmarks wait for)."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")

