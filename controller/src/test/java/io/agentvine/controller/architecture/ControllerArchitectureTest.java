package io.agentvine.controller.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller's layering (docs/architecture.md, "The controller"): {@code api} -> services -> {@code persistence},
 * never back; the task's life in {@code domain}, which depends on nothing of the controller; no package cycles.
 */
class ControllerArchitectureTest {
    private static final String ROOT = "io.agentvine.controller";
    private static final String[] SERVICES = {ROOT + ".tasks..", ROOT + ".workers..", ROOT + ".clarifications..",
            ROOT + ".lifecycle..", ROOT + ".history..", ROOT + ".logs..", ROOT + ".reports.."};
    private static JavaClasses controller;

    @BeforeAll
    static void importClasses() {
        controller = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void only_the_api_package_knows_http_routes_and_error_mapping() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".api..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".api..")
                .because("services throw domain exceptions; the api maps them to HTTP")
                .check(controller);
    }

    @Test
    void services_do_not_use_the_http_server_types() {
        noClasses().that().resideInAnyPackage(SERVICES)
                .should().dependOnClassesThat().resideInAnyPackage("io.micronaut.http..")
                .because("a service is called by the api, the consumers and the sweeper alike")
                .check(controller);
    }

    @Test
    void persistence_depends_on_no_service_and_the_domain_on_nothing_of_the_controller() {
        noClasses().that().resideInAPackage(ROOT + ".persistence..")
                .should().dependOnClassesThat().resideInAnyPackage(SERVICES)
                .orShould().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".config..",
                        ROOT + ".security..", ROOT + ".input..")
                .check(controller);
        noClasses().that().resideInAPackage(ROOT + ".domain..")
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(resideOutsideOfPackage(ROOT + ".domain..")))
                .check(controller);
    }

    @Test
    void the_controllers_packages_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(controller);
    }
}
