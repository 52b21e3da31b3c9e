"""Case-finding cohorts as data (definitions/cohorts/*.yaml): ranked, pseudonymised lists."""
