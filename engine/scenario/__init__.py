"""The scenario format: untrusted YAML in, checked frozen models out.

Models (`models`), multilingual text (`text`), the safe formula language (`expressions`,
`vocabulary`, `names`), loading with limits (`loading`, `converter`), semantic checks (`checks`),
the JSON Schema (`schema`) and effects in words (`describe`). Nothing here knows a game state.
"""
