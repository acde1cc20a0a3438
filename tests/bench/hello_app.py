"""The baseline: a bare Flask app with one JSON endpoint."""
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")
