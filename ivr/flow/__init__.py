"""The call flow: what the caller hears at each step and where the call goes next. No Flask."""
