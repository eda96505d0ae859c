package dev.posgate.load.gatling;

import io.gatling.core.action.Action;
import io.gatling.core.structure.ScenarioContext;
import io.gatling.javaapi.core.ActionBuilder;

/**
 * The Java DSL side of an action ({@code exec(...)} accepts it) wrapping the Scala ActionBuilder
 * Gatling calls once per scenario to build the action chain.
 */
public class PosTcpActionBuilder implements ActionBuilder {
    /** Creates the action once the scenario's protocol components are known. */
    @FunctionalInterface
    interface ActionFactory {
        Action create(PosTcpComponents components, Action next);
    }

    private final ActionFactory factory;

    PosTcpActionBuilder(ActionFactory factory) {
        this.factory = factory;
    }

    @Override
    public io.gatling.core.action.builder.ActionBuilder asScala() {
        return new ScalaBuilder(factory);
    }

    private static final class ScalaBuilder implements io.gatling.core.action.builder.ActionBuilder {
        private final ActionFactory factory;

        ScalaBuilder(ActionFactory factory) {
            this.factory = factory;
        }

        @Override
        public Action build(ScenarioContext ctx, Action next) {
            return factory.create(ctx.protocolComponentsRegistry().components(PosTcpProtocol.KEY), next);
        }
    }
}
