"""Object detection training on PaddleDetection (ppdet 2.6 on Paddle 3.3).
Nothing here imports paddle at module level: django.setup() must stay paddle-free."""
