"""The networked table of a workshop exercise: an asyncio WebSocket server that holds one
authoritative game (engine.play.table.Table) and a client library that programs and the terminal
UI use to join it. The protocol is in docs/protocol.md."""
