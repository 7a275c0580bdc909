"""Every shipped feature, run against the shipped framework (``make test`` runs them all)."""

from pytest_bdd import scenarios

from regframe.core.resources import features_dir

scenarios(str(features_dir()))
