package io.memroos.gateway;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.memroos.gateway");
    }

    @Test
    void domainPiecesArePlainJava() {
        noClasses().that().haveSimpleNameStartingWith("TokenBucket")
                .or().haveSimpleNameStartingWith("RateLimiter")
                .or().haveSimpleNameStartingWith("ExpiringCache")
                .or().haveSimpleNameStartingWith("RouteTable")
                .or().haveSimpleNameStartingWith("RequestIds")
                .or().haveSimpleNameStartingWith("KeyFiles")
                .or().haveSimpleNameStartingWith("OperatorKeys")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "jakarta..", "io.quarkus..",
                        "io.smallrye..", "org.jboss..")
                .check(classes);
    }

    @Test
    void beansUseConstructorInjection() {
        fields().should().notBeAnnotatedWith(Inject.class).check(classes);
    }

    @Test
    void theConsoleReachesServicesOnlyThroughTheServiceClient() {
        noClasses().that().resideInAPackage("..ui..")
                .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.http.HttpClient")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("io.memroos.gateway.proxy.ProxyHandler")
                .check(classes);
    }

    @Test
    void nothingPrintsToTheConsoleDirectly() {
        noClasses().should().accessField(System.class, "out").orShould().accessField(System.class, "err").check(classes);
    }
}
