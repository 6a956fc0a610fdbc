"""Image classification training on ppdet's PP-LCNet backbone (Paddle 3.3), in a child process.
Nothing here imports paddle at module level: django.setup() must stay paddle-free."""
