"""The demo library generator (`mediatheque demo`): a realistic, reproducible library of
French, Russian and Kazakh records, members and a year of loans, for trying the application
and for benchmarks."""

from mediatheque.demo.generate import DEMO_LIBRARY, DemoCancelled, DemoCounts, generate_demo

__all__ = ["DEMO_LIBRARY", "DemoCancelled", "DemoCounts", "generate_demo"]
