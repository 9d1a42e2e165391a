"""HTTP routers of the service, one module per area."""
