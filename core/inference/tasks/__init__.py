"""Pre- and post-processing per task, shared by every backend."""
