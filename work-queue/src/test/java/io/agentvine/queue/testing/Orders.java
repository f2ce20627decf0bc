package io.agentvine.queue.testing;

import io.agentvine.model.Priority;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Realistic work orders for queue tests. */
public final class Orders {
    private static final AtomicLong SEQ = new AtomicLong();

    private Orders() {
    }

    public static WorkOrder order(TaskType type, Priority priority) {
        return builder(type, priority).build();
    }

    public static WorkOrder.Builder builder(TaskType type, Priority priority) {
        long n = SEQ.incrementAndGet();
        return WorkOrder.builder("wo-" + n + "-" + Long.toHexString(System.nanoTime()), type)
                .priority(priority)
                .repositoryUrl("https://git.example.com/acme/shop.git")
                .branch("main")
                .title("Add order export #" + n)
                .instructions("Add a CSV export of orders to the admin page; keep the existing tests green.")
                .metadata(Map.of("ticket", "SHOP-" + n));
    }
}
