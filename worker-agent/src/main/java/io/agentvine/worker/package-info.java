/**
 * The worker agent: the headless JVM that runs in every container of the fleet. Sub-packages by
 * concern: {@code process} (agent subprocess supervision), {@code workspace} (JGit clone, work branch,
 * delivery), {@code config} (environment and YAML settings).
 */
package io.agentvine.worker;
