package io.agentvine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A worker announcing itself to the controller when it starts; answered by a {@link RegistrationReply}.
 *
 * @param name                 the worker's own name, e.g. its host or container name ([A-Za-z0-9._-], 1-64)
 * @param workerTypes          the task types it claims, at least one, each once
 * @param version              the worker build's version, shown to operators
 * @param maxConcurrentTasks   orders it runs at once (default 1, at most 64)
 * @param specializations      free labels the controller may route on (languages, repositories)
 * @param tools                tools installed beside the agent (e.g. "docker", "node")
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerRegistration(
        Integer schemaVersion,
        String name,
        List<TaskType> workerTypes,
        String version,
        Integer maxConcurrentTasks,
        List<String> specializations,
        List<String> tools,
        Map<String, Object> metadata) {

    public static final int DEFAULT_MAX_CONCURRENT_TASKS = 1;
    public static final int MAX_CONCURRENT_TASKS = 64;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_LABELS = 64;
    private static final int MAX_LABEL_LENGTH = 100;

    public WorkerRegistration {
        schemaVersion = Check.schemaVersion(schemaVersion);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidMessageException("name", "'" + name + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        workerTypes = Check.distinctList(workerTypes, "worker_types");
        if (workerTypes.isEmpty()) {
            throw new InvalidMessageException("worker_types", "must name at least one task type");
        }
        version = Check.requiredText(version, "version", 100);
        maxConcurrentTasks = Check.between(maxConcurrentTasks == null ? DEFAULT_MAX_CONCURRENT_TASKS : maxConcurrentTasks,
                1, MAX_CONCURRENT_TASKS, "max_concurrent_tasks");
        specializations = Check.texts(specializations, "specializations", MAX_LABELS, MAX_LABEL_LENGTH);
        tools = Check.texts(tools, "tools", MAX_LABELS, MAX_LABEL_LENGTH);
        metadata = Check.metadata(metadata, "metadata");
    }
}
