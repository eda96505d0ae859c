package dev.posgate.gateway.kms;

import java.util.List;

/** A batch whose two signatures and roles verified: what the operator and administrator vouched for. */
public record SignedBatch(String productionOrder, List<BatchEntry> entries, String operatorSerial, String administratorSerial) {}
