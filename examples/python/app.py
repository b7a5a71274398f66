#!/usr/bin/env python3
"""`cdk synth` entry point (cdk.json: "app": "python3 app.py")."""

from gov_network import create_app

app, _ = create_app()
app.synth()
