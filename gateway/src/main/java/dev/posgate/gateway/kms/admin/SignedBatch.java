package dev.posgate.gateway.kms.admin;

import java.util.List;
import dev.posgate.gateway.kms.store.BatchEntry;

/** A batch whose two signatures and roles verified: what the operator and administrator vouched for. */
public record SignedBatch(String productionOrder, List<BatchEntry> entries, String operatorSerial, String administratorSerial) {}
