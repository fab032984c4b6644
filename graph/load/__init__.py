"""Loading and deriving: parse -> stage -> check -> derive -> swap (:mod:`.pipeline`), the derived graph
(:mod:`.derived`) and SHACL validation (:mod:`.validate`)."""
