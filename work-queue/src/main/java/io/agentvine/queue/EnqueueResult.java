package io.agentvine.queue;

/**
 * @param id      the order's id: the new one, or the existing order's when the idempotency key was seen before
 * @param created false when an order with the same idempotency key already existed
 */
public record EnqueueResult(String id, boolean created) {
}
