"""Built-in scenarios shipped with Midnight, loadable by id."""
