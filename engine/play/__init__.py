"""Playing whole games: the headless loop and controllers, records and scripts, batch
simulation, the conformance playouts and the wire forms for agents. Built on `engine.rules`."""
