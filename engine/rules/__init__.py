"""The rules: a Game, its immutable states and the pure transitions between them.

`game.Game` is the entry point; `phases` is the table of phases; `state`, `inputs` and `events`
are the values that flow in and out; `work` and `context` are a transition's scratch pad and
formula context; `effects`, `talks`, `resolution`, `crisis` and `assessment` are the steps of a
turn; `options` and `views` say what a seat may do and see. Depends only on `engine.scenario`.
"""
