"""The brand consistency checker: pure functions from post content and a brand kit to findings."""
