"""Export file formats: one small module each, found through `exports.formats.registry`."""
