package io.agentvine.worker.agent.session;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an agent CLI keeps a session on the worker's disk, and which files are one session's: what is
 * archived after a run ({@link SessionArchive}) and put back before a follow-up resumes it, on any worker.
 */
public interface SessionFiles {
    /** The directory a session of a run in {@code workspace} lives in; its files are archived relative to it. */
    Path directory(Path workspace) throws IOException;

    /** The files of session {@code id} under {@code directory}, relative to it (none when it kept none). */
    List<Path> files(Path directory, String id) throws IOException;
}
