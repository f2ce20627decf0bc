package io.agentvine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The wire contract stays a plain library: anything (a CLI, a test, another transport) can read and write
 * messages without pulling in a framework, a Redis client or a file system (docs/architecture.md, "Modules").
 */
class SharedModelArchitectureTest {
    private static JavaClasses model;

    @BeforeAll
    static void importClasses() {
        model = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.agentvine.model", "io.agentvine.loop", "io.agentvine.logging");
    }

    @Test
    void the_shared_model_depends_on_the_jdk_jackson_and_the_logging_facade_only() {
        ArchRule rule = classes().should().onlyDependOnClassesThat().resideInAnyPackage(
                        "java..", "com.fasterxml.jackson..", "org.slf4j..", "io.agentvine.model..", "io.agentvine.loop..",
                        "io.agentvine.logging..")
                .because("shared-model is the wire contract: no framework, no Redis client, no git, no HTTP server");

        rule.check(model);
    }

    @Test
    void the_shared_model_does_no_io() {
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.nio.file..", "java.nio.channels..", "java.net.http..", "java.sql..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.File")
                .orShould().dependOnClassesThat().haveNameMatching("java\\.io\\.File(Input|Output)Stream|java\\.io\\.RandomAccessFile")
                .orShould().dependOnClassesThat().haveNameMatching("java\\.net\\.(Server)?Socket|java\\.net\\.(Http)?URLConnection|java\\.net\\.DatagramSocket")
                .orShould().dependOnClassesThat().haveNameMatching("java\\.lang\\.(ProcessBuilder|Runtime)")
                .because("messages are read and written as text; files, sockets and processes belong to the applications");

        rule.check(model);
    }

    @Test
    void the_model_does_not_depend_on_the_loop_shell() {
        ArchRule modelAlone = noClasses().that().resideInAPackage("io.agentvine.model..")
                .should().dependOnClassesThat().resideInAPackage("io.agentvine.loop..");

        modelAlone.check(model);
        slices().matching("io.agentvine.(*)..").should().beFreeOfCycles().check(model);
    }
}
