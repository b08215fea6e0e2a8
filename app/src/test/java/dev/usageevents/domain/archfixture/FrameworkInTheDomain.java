package dev.usageevents.domain.archfixture;

import jakarta.inject.Inject;

/** A class that breaks the domain rule on purpose, to prove that {@code ArchitectureTest} catches it. */
public class FrameworkInTheDomain {

    @Inject
    Object injected;
}
