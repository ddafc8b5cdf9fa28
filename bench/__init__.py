"""Benchmarks: realistic plans of several sizes and the figures `make bench` reports."""
