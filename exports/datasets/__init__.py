"""What an export holds (one Dataset class per data type), found through `exports.datasets.registry`."""
