"""Running the stages over streams of documents."""
