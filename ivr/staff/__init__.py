"""Tools for office staff: `ivr script`, `ivr hours`, `ivr graph`, `ivr audio`, `ivr stats`."""
