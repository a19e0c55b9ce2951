"""Networked seats: one host runs the authoritative game, teams take their seats over websockets.

`protocol` is the one message format (JSON over a websocket, the engine's values written by the
project's converter); `client` is a seat's side of it; `host` serves the seats of a `Session`.
Needs the `net` extra (aiohttp).
"""
