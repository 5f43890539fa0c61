"""Learning network and toolbox."""
