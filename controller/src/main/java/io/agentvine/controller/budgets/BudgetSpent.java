package io.agentvine.controller.budgets;

/**
 * A run's usage was counted on its budgets ({@link Budgets#spent}); published inside the transaction that counts it,
 * so the enforcer is woken once that transaction has committed and its pass can see the spending.
 */
public record BudgetSpent(String taskId) {
}
