"""Laying a blueprint out: the DOT source, the arrangements tried, and the measures that choose one."""
