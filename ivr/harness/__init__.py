"""What staff tools and testers share: the line driven in this process, and its TwiML read back."""
