package io.agentvine.worker.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's layering (docs/architecture.md, "The worker agent"): {@code runtime} owns the worker's life
 * and uses the parts (workspace, process, agent, tasks, delivery, clarify, controlplane, metrics, config);
 * no part reaches back into the runtime; no package cycles.
 */
class WorkerArchitectureTest {
    private static final String ROOT = "io.agentvine.worker";
    private static JavaClasses worker;

    @BeforeAll
    static void importClasses() {
        worker = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void only_the_main_classes_and_the_runtime_itself_use_the_runtime() {
        noClasses().that().resideInAPackage(ROOT + ".(*)..").and().resideOutsideOfPackage(ROOT + ".runtime..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".runtime..")
                .because("the parts are wired by the runtime (WorkerAssembly), never the other way round")
                .check(worker);
    }

    @Test
    void the_parts_that_touch_git_and_processes_know_nothing_of_the_controller() {
        noClasses().that().resideInAnyPackage(ROOT + ".workspace..", ROOT + ".process..", ROOT + ".agent..",
                        ROOT + ".tasks..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".controlplane..", "io.agentvine.queue..")
                .because("a run's steps take what they need as arguments; the queue and the controller are the runtime's")
                .check(worker);
    }

    @Test
    void the_workers_packages_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(worker);
    }
}
