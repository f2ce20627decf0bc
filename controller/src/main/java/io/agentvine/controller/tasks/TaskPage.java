package io.agentvine.controller.tasks;

import java.util.List;

/**
 * One page of GET /api/v1/tasks, newest first.
 *
 * @param total      how many tasks match; counted up to {@link TaskService#COUNT_CAP}: beyond it {@code totalExact}
 *                   is false and {@code total} is a lower bound ("1000+")
 * @param hasNext    whether a later page has tasks
 * @param nextCursor the older tasks after this page ({@code cursor=}); null when {@code hasNext} is false
 * @param prevCursor the newer tasks before this page; null on the first page
 * @param page       the page's number; on a page reached by cursor, counted from the cursor (approximate once tasks
 *                   were added)
 */
public record TaskPage(List<TaskView> content, int page, int size, long total, boolean totalExact, boolean hasNext,
                       String nextCursor, String prevCursor) {
}
