"""tf.data (placeholder, being written)."""
