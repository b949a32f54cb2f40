"""Streaming: row-wise stages run chunk by chunk, so a table's raw size never sits in memory."""
