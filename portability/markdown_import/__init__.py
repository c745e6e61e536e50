"""Importing a year-review post written in Markdown: the parser (pure functions, no
database), the preview-and-save form, and the drafts that keep its images in between."""
