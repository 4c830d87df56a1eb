package io.github.edgestream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Which module may use which, as bytecode rules over every class of the daemon:
 *
 * <pre>
 * packaging (daemon, cli) ──► everything; nothing depends on it
 * api.&lt;x&gt;                 ──► http, core (never another API, never the Greengrass modules)
 * http                     ──► net, core (knows no API)
 * ipc (Greengrass server)  ──► net, core
 * ipc.client               ──► ipc.codec, ipc.wire, net, core (no server classes)
 * net                      ──► no edgestream module
 * status                   ──► core
 * exporter.&lt;x&gt;            ──► exporter.common, core.export.spi, core.model (nothing else of ours)
 * exporter.common          ──► core
 * config                   ──► no edgestream module
 * core                     ──► no edgestream module; no Netty, AWS SDK or Jackson
 * </pre>
 *
 * and each module's {@code ..internal..} packages are private to it; core's model holds no protocol's vocabulary
 * (no drafts of a client's request, no wire codes: those live in the protocol's module, {@code ipc.wire}).
 * The rules accept modules without code yet, so they keep holding as code arrives.
 */
final class ModuleRules {

    static final String ROOT = "io.github.edgestream.";
    static final String CORE = ROOT + "core..";
    static final String CONFIG = ROOT + "config..";
    static final String IPC = ROOT + "ipc..";
    static final String IPC_CLIENT = ROOT + "ipc.client..";
    static final String NET = ROOT + "net..";
    static final String HTTP = ROOT + "http..";
    static final String APIS = ROOT + "api..";
    static final String STATUS = ROOT + "status..";
    static final String EXPORTERS = ROOT + "exporter..";
    static final String DAEMON = ROOT + "daemon..";
    static final String CLI = ROOT + "cli..";

    private ModuleRules() {
    }

    static final ArchRule CORE_USES_NO_OTHER_MODULE_AND_NO_INFRASTRUCTURE = noClasses()
            .that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(CONFIG, IPC, NET, HTTP, APIS, STATUS, EXPORTERS, DAEMON,
                    CLI, "io.netty..", "software.amazon..", "com.fasterxml..")
            .because("core is the centre: storage and the export runtime know nothing of sockets, clouds or JSON")
            .allowEmptyShould(true);

    static final ArchRule CONFIG_USES_NO_EDGESTREAM_MODULE = noClasses()
            .that().resideInAPackage(CONFIG)
            .should().dependOnClassesThat().resideInAnyPackage(CORE, IPC, NET, HTTP, APIS, STATUS, EXPORTERS, DAEMON,
                    CLI)
            .because("config is generic machinery; each module owns its own settings")
            .allowEmptyShould(true);

    static final ArchRule IPC_USES_ONLY_NET_AND_CORE = noClasses()
            .that().resideInAPackage(IPC)
            .should().dependOnClassesThat().resideInAnyPackage(CONFIG, HTTP, APIS, STATUS, EXPORTERS, DAEMON, CLI)
            .because("the protocol layer reaches the store and exporters through core's interfaces")
            .allowEmptyShould(true);

    static final ArchRule THE_GREENGRASS_CLIENT_KNOWS_NO_SERVER_CLASS = noClasses()
            .that().resideInAPackage(IPC_CLIENT)
            .should().dependOnClassesThat().resideInAnyPackage(ROOT + "ipc.server..", ROOT + "ipc.dispatch..",
                    ROOT + "ipc.handler..")
            .because("the Java client ships without the server: it shares only the wire format (ipc.codec, ipc.wire)")
            .allowEmptyShould(true);

    static final ArchRule NET_USES_NO_EDGESTREAM_MODULE = noClasses()
            .that().resideInAPackage(NET)
            .should().dependOnClassesThat().resideInAnyPackage(CORE, CONFIG, IPC, HTTP, APIS, STATUS, EXPORTERS,
                    DAEMON, CLI)
            .because("net is Netty plumbing every server shares")
            .allowEmptyShould(true);

    static final ArchRule HTTP_KNOWS_NO_API = noClasses()
            .that().resideInAPackage(HTTP)
            .should().dependOnClassesThat().resideInAnyPackage(CONFIG, IPC, APIS, STATUS, EXPORTERS, DAEMON, CLI)
            .because("the HTTP layer serves every API through its provider interface, and knows none of them")
            .allowEmptyShould(true);

    static final ArchRule APIS_USE_ONLY_HTTP_AND_CORE = classes()
            .that().resideInAPackage(APIS)
            .should(useOnlyOwnModuleAnd("use only http, core and their own package", (origin, target) ->
                    target.startsWith(ROOT + "http") || target.startsWith(ROOT + "core")))
            .allowEmptyShould(true);

    static final ArchRule STATUS_USES_ONLY_CORE = noClasses()
            .that().resideInAPackage(STATUS)
            .should().dependOnClassesThat().resideInAnyPackage(CONFIG, IPC, EXPORTERS, DAEMON, CLI)
            .because("status listens to export events and appends to streams, through core")
            .allowEmptyShould(true);

    static final ArchRule EXPORTERS_USE_ONLY_THE_EXPORT_SPI_THE_MODEL_AND_COMMON = classes()
            .that().resideInAPackage(EXPORTERS)
            .should(useOnlyOwnModuleAnd("use only core.export.spi, core.model, core.time, exporter.common and"
                    + " their own package", (origin, target) ->
                    target.startsWith(ROOT + "core.export.spi") || target.startsWith(ROOT + "core.model")
                            || target.startsWith(ROOT + "core.time") || target.startsWith(ROOT + "exporter.common")))
            .allowEmptyShould(true);

    static final ArchRule INTERNAL_PACKAGES_ARE_PRIVATE_TO_THEIR_MODULE = classes()
            .that().resideInAPackage("io.github.edgestream..")
            .should(useOnlyOwnModuleAnd("use no other module's internal packages",
                    (origin, target) -> !target.contains(".internal")))
            .allowEmptyShould(true);

    static final ArchRule NOTHING_USES_PACKAGING = noClasses()
            .that().resideOutsideOfPackages(DAEMON, CLI)
            .should().dependOnClassesThat().resideInAnyPackage(DAEMON, CLI)
            .because("packaging is the composition root")
            .allowEmptyShould(true);

    static final String MODEL = ROOT + "core.model..";

    static final ArchRule CORE_MODEL_HAS_NO_PROTOCOL_VOCABULARY = noClasses()
            .that().resideInAPackage(MODEL)
            .should().haveSimpleNameContaining("Draft")
            .orShould().haveSimpleNameContaining("ProtocolCode")
            .because("a client's request as sent (drafts) and wire codes belong to the protocol's module (ipc.wire)")
            .allowEmptyShould(true);

    static List<ArchRule> all() {
        return List.of(CORE_USES_NO_OTHER_MODULE_AND_NO_INFRASTRUCTURE, CONFIG_USES_NO_EDGESTREAM_MODULE,
                IPC_USES_ONLY_NET_AND_CORE, THE_GREENGRASS_CLIENT_KNOWS_NO_SERVER_CLASS, NET_USES_NO_EDGESTREAM_MODULE,
                HTTP_KNOWS_NO_API, APIS_USE_ONLY_HTTP_AND_CORE, STATUS_USES_ONLY_CORE, EXPORTERS_USE_ONLY_THE_EXPORT_SPI_THE_MODEL_AND_COMMON,
                INTERNAL_PACKAGES_ARE_PRIVATE_TO_THEIR_MODULE, NOTHING_USES_PACKAGING,
                CORE_MODEL_HAS_NO_PROTOCOL_VOCABULARY);
    }

    /**
     * The module a package belongs to: {@code io.github.edgestream.core.stream.internal} is in {@code core},
     * {@code io.github.edgestream.exporter.kinesis.x} in {@code exporter.kinesis}, {@code io.github.edgestream.api.s2}
     * in {@code api.s2}.
     */
    static String moduleOf(String packageName) {
        String[] parts = packageName.substring(ROOT.length()).split("\\.");
        boolean family = parts[0].equals("exporter") || parts[0].equals("api");
        return family && parts.length > 1 ? parts[0] + "." + parts[1] : parts[0];
    }

    /**
     * Every dependency of the class on another edgestream module must satisfy {@code allowed(originPackage,
     * targetPackage)}; dependencies inside the class's own module and on third-party code are always fine.
     */
    private static ArchCondition<JavaClass> useOnlyOwnModuleAnd(String description,
            BiPredicate<String, String> allowed) {
        return new ArchCondition<>(description) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                String own = moduleOf(origin.getPackageName());
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    String target = dependency.getTargetClass().getPackageName();
                    if (!target.startsWith(ROOT) || moduleOf(target).equals(own)) {
                        continue;
                    }
                    if (!allowed.test(origin.getPackageName(), target)) {
                        events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                    }
                }
            }
        };
    }
}
