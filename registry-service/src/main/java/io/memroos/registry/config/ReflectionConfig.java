package io.memroos.registry.config;

import io.memroos.contract.Problem;
import io.memroos.registry.domain.Skill;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Types Jackson reads or writes outside Quarkus REST (JSON columns of the store, the 413 body written by
 * the HTTP filter), registered so a native image keeps their constructors and accessors.
 */
@RegisterForReflection(targets = {Skill.class, Problem.class, Problem.FieldError.class})
final class ReflectionConfig {

    private ReflectionConfig() {
    }
}
