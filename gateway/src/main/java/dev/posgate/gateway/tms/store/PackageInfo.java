package dev.posgate.gateway.tms.store;

import dev.posgate.protocol.tms.download.PackageEntry;

/** A package a repository can serve: its DF31 entry and the repository's own reference to it. */
public record PackageInfo(String ref, PackageEntry entry) {}
