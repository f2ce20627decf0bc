/**
 * What the worker does when it runs in a Kubernetes pod: {@link io.agentvine.worker.kubernetes.PodDeletionCost}
 * keeps its own pod's {@code controller.kubernetes.io/pod-deletion-cost} low while idle and high while busy,
 * so that a scale-in removes idle pods first. A no-op anywhere else.
 */
package io.agentvine.worker.kubernetes;
