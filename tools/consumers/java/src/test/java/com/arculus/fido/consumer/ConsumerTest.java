package com.arculus.fido.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.arculus.fido.cdk.AlarmThresholds;
import com.arculus.fido.cdk.ArculusFidoDeployment;
import com.arculus.fido.cdk.ArculusFidoDeploymentProps;
import com.arculus.fido.cdk.ArculusFidoImagesStack;
import com.arculus.fido.cdk.ArculusFidoRegionPair;
import com.arculus.fido.cdk.DeploymentCheck;
import com.arculus.fido.cdk.DeploymentEnvironment;
import com.arculus.fido.cdk.DocumentDbGlobalCluster;
import com.arculus.fido.cdk.DocumentDbOptions;
import com.arculus.fido.cdk.DomainOptions;
import com.arculus.fido.cdk.EncryptionOptions;
import com.arculus.fido.cdk.FidoDataLayer;
import com.arculus.fido.cdk.FidoDataLayerProps;
import com.arculus.fido.cdk.FidoHostedZoneRole;
import com.arculus.fido.cdk.FidoServiceOptions;
import com.arculus.fido.cdk.ImageOptions;
import com.arculus.fido.cdk.ImageReplicationRegistry;
import com.arculus.fido.cdk.LoadBalancerOptions;
import com.arculus.fido.cdk.LoggingOptions;
import com.arculus.fido.cdk.MongoDbAtlasRotationOptions;
import com.arculus.fido.cdk.MongoDbConnection;
import com.arculus.fido.cdk.MongoDbEndpointOptions;
import com.arculus.fido.cdk.MonitoringOptions;
import com.arculus.fido.cdk.NatType;
import com.arculus.fido.cdk.NetworkOptions;
import com.arculus.fido.cdk.OfficeHours;
import com.arculus.fido.cdk.PairRegionOptions;
import com.arculus.fido.cdk.PredictiveScalingMode;
import com.arculus.fido.cdk.ScheduledCapacity;
import com.arculus.fido.cdk.SecondaryRegionOptions;
import com.arculus.fido.cdk.SecretsOptions;
import com.arculus.fido.cdk.ServiceSizing;
import com.arculus.fido.cdk.ServiceDeploymentOptions;
import com.arculus.fido.cdk.ServicesOptions;
import com.arculus.fido.cdk.SizingOptions;
import com.arculus.fido.cdk.WafOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TimeZone;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.applicationautoscaling.CronOptions;
import software.amazon.awscdk.services.applicationautoscaling.Schedule;
import software.amazon.awscdk.services.certificatemanager.Certificate;
import software.amazon.awscdk.services.ec2.InstanceClass;
import software.amazon.awscdk.services.ec2.InstanceSize;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ecs.CpuArchitecture;
import software.amazon.awscdk.services.ecs.DeploymentStrategy;
import software.amazon.awscdk.services.ecs.TrafficShiftConfig;
import software.amazon.awscdk.services.elasticloadbalancingv2.IpAddressType;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.route53.HostedZone;
import software.amazon.awscdk.services.route53.HostedZoneAttributes;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * A Java CDK app using the built artifact, as a Java user writes it. It compiles and runs the
 * README's Java example as written, and builds the `custom`, `pair` and `pair-accounts` scenarios of
 * tools/consumers/reference.ts in Java. Each template must equal the TypeScript synth of the same props, and carries what the
 * options asked for.
 */
class ConsumerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Paths.get("..", "..", "..").toAbsolutePath().normalize();
    private static final Path REFERENCE = Paths.get(System.getenv("ARCULUS_REFERENCE_DIR"));

    private static Map<String, Object> readme;
    private static Map<String, Object> custom;
    private static Map<String, Object> pairPrimary;
    private static Map<String, Object> pairSecondary;
    private static Map<String, Object> pairKeys;
    private static Map<String, Object> pairImages;
    private static ArculusFidoRegionPair pair;
    private static Map<String, Stack> pairAccountsStacks;
    private static Map<String, Map<String, Object>> pairAccounts;

    @BeforeAll
    static void synthesize() throws Exception {
        readme = runReadmeExample();
        custom = Template.fromStack(customStack()).toJSON();
        Map<String, Stack> stacks = pairStacks();
        pairPrimary = Template.fromStack(stacks.get("primary")).toJSON();
        pairSecondary = Template.fromStack(stacks.get("secondary")).toJSON();
        pairKeys = Template.fromStack(stacks.get("keys")).toJSON();
        pairImages = Template.fromStack(stacks.get("images")).toJSON();
        pairAccountsStacks = pairAccountsStacks();
        pairAccounts = new TreeMap<>();
        pairAccountsStacks.forEach((role, stack) -> pairAccounts.put(role, Template.fromStack(stack).toJSON()));
    }

    /** Compiles the README's Java example with this test's classpath and runs its main. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> runReadmeExample() throws Exception {
        String text = Files.readString(ROOT.resolve("docs").resolve("languages.md"));
        Matcher found = Pattern.compile("### Java\\n\\n```java\\n(.*?)```", Pattern.DOTALL).matcher(text);
        assertTrue(found.find(), "docs/languages.md has no Java example under '### Java'");
        Path sources = Files.createTempDirectory("readme-java");
        Files.writeString(sources.resolve("FidoApp.java"), found.group(1));

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int compiled = javac.run(null, null, null,
            "-classpath", System.getProperty("java.class.path"), "-d", sources.toString(),
            sources.resolve("FidoApp.java").toString());
        assertEquals(0, compiled, "the README's Java example does not compile");

        try (URLClassLoader loader = new URLClassLoader(new URL[] { sources.toUri().toURL() }, ConsumerTest.class.getClassLoader())) {
            Method main = loader.loadClass("FidoApp").getMethod("main", String[].class);
            main.invoke(null, (Object) new String[0]);
        }
        File template = Paths.get(System.getenv("CDK_OUTDIR"), "ArculusFidoProd.template.json").toFile();
        return JSON.readValue(template, Map.class);
    }

    /**
     * tools/consumers/reference.ts `custom`, in Java: the {@code Platform} stack, whose domain's zone and
     * FidoHostedZoneRole are in the {@code Dns} stack of another account.
     */
    private static Stack customStack() {
        App app = new App();
        Stack dns = new Stack(app, "Dns", StackProps.builder()
            .env(Environment.builder().account("333333333333").region("eu-west-1").build())
            .build());
        IHostedZone zone = HostedZone.fromHostedZoneAttributes(dns, "Zone", HostedZoneAttributes.builder()
            .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName("example.com").build());
        FidoHostedZoneRole zoneRole = FidoHostedZoneRole.Builder.create(dns, "ZoneRole")
            .hostedZone(zone)
            .domainNames(List.of("passkeys.example.com"))
            .trustedAccounts(List.of("111111111111"))
            .build();
        Stack stack = new Stack(app, "Platform", StackProps.builder()
            .env(Environment.builder().account("111111111111").region("eu-west-1").build())
            .build());
        ArculusFidoDeployment deployment = ArculusFidoDeployment.Builder.create(stack, "Fido")
            .deploymentEnvironment(DeploymentEnvironment.STAGING)
            .applicationName("passkeys")
            .domain(DomainOptions.builder()
                .domainName("passkeys.example.com")
                .certificate(Certificate.fromCertificateArn(stack, "Certificate",
                    "arn:aws:acm:eu-west-1:111111111111:certificate/11111111-1111-1111-1111-111111111111"))
                .hostedZone(zone)
                .hostedZoneRole(zoneRole.getRole())
                .build())
            .mongoDb(MongoDbConnection.documentDb(DocumentDbOptions.builder()
                .instances(2)
                .instanceType(InstanceType.of(InstanceClass.T4G, InstanceSize.MEDIUM))
                .backupRetention(Duration.days(14))
                .rotationInterval(Duration.days(60))
                .build()))
            .network(NetworkOptions.builder().natGateways(2).natType(NatType.INSTANCE).natInstanceType(new InstanceType("t4g.micro"))
                .allowedIngress(List.of(Peer.ipv4("203.0.113.0/24"), Peer.ipv6("2001:db8::/32"))).build())
            .loadBalancer(LoadBalancerOptions.builder().ipAddressType(IpAddressType.DUAL_STACK).build())
            .waf(WafOptions.builder().enabled(true).rateLimit(2000).build())
            .encryption(EncryptionOptions.builder().customerManagedKey(true).build())
            .images(ImageOptions.builder().tag("2.1.0").build())
            .sizing(SizingOptions.builder()
                .pyFido(ServiceSizing.builder().cpu(1024).memoryLimitMiB(2048).desiredCount(2).maxCapacity(8)
                    .cpuArchitecture(CpuArchitecture.ARM64)
                    .targetMemoryUtilizationPercent(75)
                    .schedules(List.of(ScheduledCapacity.builder()
                        .name("MorningPeak")
                        .schedule(Schedule.cron(CronOptions.builder().hour("7").minute("30").weekDay("MON-FRI").build()))
                        .timeZone(TimeZone.EUROPE_BERLIN)
                        .minCapacity(4)
                        .build()))
                    .predictiveScaling(PredictiveScalingMode.FORECAST_ONLY)
                    .build())
                .officeHours(OfficeHours.builder().start("07:00").end("20:00").timeZone(TimeZone.EUROPE_BERLIN).build())
                .build())
            .logging(LoggingOptions.builder().retention(RetentionDays.ONE_YEAR).build())
            .secrets(SecretsOptions.builder().applicationSecretRotationInterval(Duration.days(14)).build())
            .services(ServicesOptions.builder()
                .pyFido(FidoServiceOptions.builder()
                    .deployment(ServiceDeploymentOptions.builder()
                        .strategy(DeploymentStrategy.BLUE_GREEN)
                        .bakeTime(Duration.minutes(10))
                        .checks(List.of(DeploymentCheck.builder().path("/api/status").expectedStatusCodes("200,401").build()))
                        .build())
                    .build())
                .tomcat(FidoServiceOptions.builder()
                    .readonlyRootFilesystem(true)
                    .writablePaths(List.of("/tmp", "/usr/local/tomcat/work"))
                    .environment(Map.of("JAVA_OPTS", "-Xmx1536m"))
                    .enableExecuteCommand(true)
                    .deployment(ServiceDeploymentOptions.builder()
                        .strategy(DeploymentStrategy.LINEAR)
                        .trafficShift(TrafficShiftConfig.builder().stepPercent(20).stepBakeTime(Duration.minutes(2)).build())
                        .build())
                    .build())
                .build())
            .monitoring(MonitoringOptions.builder()
                .emails(List.of("oncall@example.com"))
                .thresholds(AlarmThresholds.builder().cpuPercent(65).latencyP99(Duration.seconds(1)).build())
                .build())
            .build();
        deployment.getConnections().allowTo(Peer.ipv4("10.1.0.0/16"), Port.tcp(5432), "Reporting database");
        new FidoDataLayer(stack, "AtlasData", FidoDataLayerProps.builder()
            .deploymentEnvironment(DeploymentEnvironment.STAGING)
            .vpc(deployment.getNetwork().getVpc())
            .clientSecurityGroup(deployment.getNetwork().getServiceSecurityGroup())
            .mongoDb(MongoDbConnection.fromEndpoint(MongoDbEndpointOptions.builder()
                .host("cluster0.abcde.mongodb.net")
                .username("passkeys")
                .atlasRotation(MongoDbAtlasRotationOptions.builder()
                    .projectId("0123456789abcdef01234567")
                    .apiSecret(Secret.fromSecretNameV2(stack, "AtlasApi", "passkeys/atlas-api"))
                    .build())
                .rotationInterval(Duration.days(7))
                .build()))
            .build());
        return stack;
    }

    private static Environment env(String region) {
        return Environment.builder().account("111111111111").region(region).build();
    }

    /**
     * tools/consumers/reference.ts `pair`, in Java: the primary's, the secondary's, the secondary's keys'
     * (reached through getSecondaryKey()) and the images' stacks; the pair itself in {@link #pair}.
     * Another account may read the application secret (applicationSecretReaderAccounts).
     */
    private static Map<String, Stack> pairStacks() {
        App app = new App();
        IHostedZone zone = HostedZone.fromHostedZoneAttributes(app, "Zone", HostedZoneAttributes.builder()
            .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName("example.com").build());
        pair = ArculusFidoRegionPair.Builder.create(app, "Fido")
            .deployment(ArculusFidoDeploymentProps.builder()
                .deploymentEnvironment(DeploymentEnvironment.PROD)
                .domain(DomainOptions.builder().domainName("auth.example.com").hostedZone(zone).build())
                .mongoDb(MongoDbConnection.documentDb())
                .images(ImageOptions.builder().tag("1.0.0").build())
                // Another account's deployment reads the application secret, in either region.
                .secrets(SecretsOptions.builder().applicationSecretReaderAccounts(List.of("222222222222")).build())
                .build())
            .primary(PairRegionOptions.builder().env(env("us-east-1")).build())
            .secondary(SecondaryRegionOptions.builder()
                .env(env("us-west-2"))
                .standbyTasks(0)
                .build())
            .healthCheckInterval(Duration.seconds(30))
            .failureThreshold(2)
            .build();
        ArculusFidoImagesStack images = ArculusFidoImagesStack.Builder.create(app, "Images")
            .env(env("us-east-1"))
            .deploymentEnvironment(DeploymentEnvironment.PROD)
            .replicationRegions(List.of("us-west-2"))
            // Another account's registry gets the pushes too, and a build account may push here.
            .replicationRegistries(List.of(ImageReplicationRegistry.builder().account("222222222222").region("eu-west-1").build()))
            .replicationSourceAccounts(List.of("333333333333"))
            .build();
        assertNotNull(pair.getSecondaryKey(), "the prod pair has no secondaryKey: its key stack is missing");
        return Map.of("primary", pair.getPrimary(), "secondary", pair.getSecondary(), "keys", Stack.of(pair.getSecondaryKey()),
            "images", images);
    }

    /**
     * tools/consumers/reference.ts `pair-accounts`, in Java: the pair whose secondary is in another
     * account, and its stacks: the primary's, the secondary's, the link's (getSecondaryLink())
     * and the replica's key's (reached through getSecondaryKey()).
     */
    private static Map<String, Stack> pairAccountsStacks() {
        App app = new App();
        Stack imports = new Stack(app, "Imports", StackProps.builder()
            .env(Environment.builder().account("111111111111").region("us-east-1").build())
            .build());
        IHostedZone zone = HostedZone.fromHostedZoneAttributes(app, "Zone", HostedZoneAttributes.builder()
            .hostedZoneId("Z0123456789ABCDEFGHIJ").zoneName("example.com").build());
        ArculusFidoRegionPair fido = ArculusFidoRegionPair.Builder.create(app, "Fido")
            .deployment(ArculusFidoDeploymentProps.builder()
                .deploymentEnvironment(DeploymentEnvironment.PROD)
                .domain(DomainOptions.builder()
                    .domainName("auth.example.com")
                    .hostedZone(zone)
                    .certificate(Certificate.fromCertificateArn(imports, "Certificate",
                        "arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111"))
                    .build())
                .mongoDb(MongoDbConnection.fromEndpoint(MongoDbEndpointOptions.builder()
                    .host("east.abcde.mongodb.net").username("fido").build()))
                .images(ImageOptions.builder().tag("1.0.0").build())
                .build())
            .primary(PairRegionOptions.builder()
                .env(Environment.builder().account("111111111111").region("us-east-1").build())
                .build())
            .secondary(SecondaryRegionOptions.builder()
                .env(Environment.builder().account("222222222222").region("us-west-2").build())
                .mongoDb(MongoDbConnection.fromEndpoint(MongoDbEndpointOptions.builder()
                    .host("west.abcde.mongodb.net").username("fido").build()))
                .build())
            .build();
        assertNotNull(fido.getSecondaryKey(), "the prod pair has no secondaryKey: its key stack is missing");
        return Map.of("primary", fido.getPrimary(), "secondary", fido.getSecondary(),
            "link", fido.getSecondaryLink(), "keys", Stack.of(fido.getSecondaryKey()));
    }

    private static Map<String, Integer> resourceTypes(JsonNode template) {
        Map<String, Integer> counts = new TreeMap<>();
        template.get("Resources").forEach(resource -> counts.merge(resource.get("Type").asText(), 1, Integer::sum));
        return counts;
    }

    /**
     * A string property of a template as text: an Fn::Join's parts joined, each reference written
     * ${Ref} or ${Logical.Attr}.
     */
    private static String flat(Object value) {
        if (value instanceof String text) {
            return text;
        }
        List<?> join = (List<?>) ((Map<?, ?>) value).get("Fn::Join");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<?>) join.get(1)) {
            if (text.length() > 0) {
                text.append(join.get(0));
            }
            if (part instanceof String string) {
                text.append(string);
            } else {
                Map<?, ?> token = (Map<?, ?>) part;
                Object name = token.containsKey("Fn::GetAtt")
                    ? String.join(".", ((List<?>) token.get("Fn::GetAtt")).stream().map(String::valueOf).toList())
                    : token.containsKey("Ref") ? token.get("Ref") : token;
                text.append("${").append(name).append('}');
            }
        }
        return text.toString();
    }

    /** The template and its TypeScript reference, both read as JSON: equal resource by resource. */
    private static void assertSameAsTypeScript(String name, Map<String, Object> template) throws Exception {
        JsonNode actual = JSON.readTree(JSON.writeValueAsString(template));
        JsonNode expected = JSON.readTree(REFERENCE.resolve(name + ".json").toFile());
        assertEquals(resourceTypes(expected), resourceTypes(actual));
        expected.get("Resources").fields().forEachRemaining(entry ->
            assertEquals(entry.getValue(), actual.get("Resources").get(entry.getKey()), entry.getKey()));
        assertEquals(expected.get("Outputs"), actual.get("Outputs"));
    }

    @Test
    void readmeExampleEqualsTypeScript() throws Exception {
        assertSameAsTypeScript("readme", readme);
    }

    @Test
    void customScenarioEqualsTypeScript() throws Exception {
        assertSameAsTypeScript("custom", custom);
    }

    @Test
    void pairEqualsTypeScript() throws Exception {
        assertSameAsTypeScript("pair-primary", pairPrimary);
        assertSameAsTypeScript("pair-secondary", pairSecondary);
        assertSameAsTypeScript("pair-keys", pairKeys);
        assertSameAsTypeScript("pair-images", pairImages);
    }

    @Test
    void pairAccountsEqualsTypeScript() throws Exception {
        for (String role : List.of("primary", "secondary", "link", "keys")) {
            assertSameAsTypeScript("pair-accounts-" + role, pairAccounts.get(role));
        }
    }

    @Test
    void readmeExampleDeploysTheGuide() {
        Template template = Template.fromJSON(readme);
        template.resourceCountIs("AWS::ECS::Service", 2);
        for (int port : new int[] { 443, 5001, 8080 }) {
            template.hasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Map.of("Port", port, "Protocol", "HTTPS"));
        }
        template.hasResourceProperties("AWS::Route53::RecordSet", Map.of("Name", "auth.example.com.", "Type", "A"));
        assertNotNull(template.findOutputs("LoadBalancerDNS").get("LoadBalancerDNS"));
        assertNotNull(template.findOutputs("MongoDBSecretArn").get("MongoDBSecretArn"));
    }

    @Test
    void customOptionsReachTheTemplate() {
        Template template = Template.fromJSON(custom);
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of(
            "Cpu", "1024", "Memory", "2048",
            "RuntimePlatform", Map.of("CpuArchitecture", "ARM64", "OperatingSystemFamily", "LINUX")));
        template.hasResourceProperties("AWS::ECS::TaskDefinition", Map.of(
            "ContainerDefinitions", List.of(Match.objectLike(Map.of("ReadonlyRootFilesystem", true)))));
        template.hasResourceProperties("AWS::WAFv2::WebACL", Map.of(
            "Rules", Match.arrayWith(List.of(Match.objectLike(Map.of(
                "Statement", Map.of("RateBasedStatement", Match.objectLike(Map.of("Limit", 2000)))))))));
        // Two NAT instances of the type named, and no NAT gateway.
        // A dual-stack load balancer in a VPC with IPv6, admitting the IPv6 range given.
        template.hasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Map.of("IpAddressType", "dualstack"));
        template.resourceCountIs("AWS::EC2::VPCCidrBlock", 1);
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("SecurityGroupIngress",
            Match.arrayWith(List.of(Match.objectLike(Map.of("CidrIpv6", "2001:db8::/32", "FromPort", 443))))));
        template.resourceCountIs("AWS::EC2::NatGateway", 0);
        template.resourceCountIs("AWS::EC2::Instance", 2);
        template.hasResourceProperties("AWS::EC2::Instance", Map.of("InstanceType", "t4g.micro"));
        template.resourceCountIs("AWS::DocDB::DBInstance", 2);
        template.hasResourceProperties("AWS::DocDB::DBInstance", Map.of("DBInstanceClass", "db.t4g.medium"));
        template.hasResourceProperties("AWS::Logs::LogGroup", Map.of("LogGroupName", "/ecs/passkeys/staging/pyfido", "RetentionInDays", 365));
        template.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of(
            "SecurityGroupEgress", Match.arrayWith(List.of(Match.objectLike(Map.of("CidrIp", "10.1.0.0/16", "FromPort", 5432, "ToPort", 5432))))));
        template.resourceCountIs("AWS::KMS::Key", 1);
        template.hasResourceProperties("AWS::ECS::Service", Map.of(
            "DeploymentConfiguration", Match.objectLike(Map.of("Strategy", "BLUE_GREEN", "BakeTimeInMinutes", 10))));
        template.hasResourceProperties("AWS::ECS::Service", Map.of(
            "DeploymentConfiguration", Match.objectLike(Map.of("Strategy", "LINEAR",
                "LinearConfiguration", Map.of("StepPercent", 20, "StepBakeTimeInMinutes", 2)))));
        template.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", "oncall@example.com"));
        template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of("AlarmName", "passkeys-staging-tomcat-cpu", "Threshold", 65));
        template.hasResourceProperties("AWS::ECS::Service", Map.of("EnableExecuteCommand", true));
        template.resourceCountIs("AWS::SSM::Document", 4);
        template.hasResourceProperties("AWS::Lambda::Function", Map.of(
            "Environment", Map.of("Variables", Match.objectLike(Map.of("ATLAS_PROJECT_ID", "0123456789abcdef01234567", "MONGODB_USERNAME", "passkeys")))));
        template.hasResourceProperties("AWS::SecretsManager::RotationSchedule", Map.of(
            "RotationRules", Map.of("ScheduleExpression", "rate(7 days)")));
    }

    @Test
    void customWritesItsRecordsInTheZoneOfAnotherAccount() {
        // domain.hostedZoneRole: no record set in this account's template; custom resources write the
        // dual-stack load balancer's alias A and AAAA records in the Dns stack's zone, as its role.
        Template template = Template.fromJSON(custom);
        template.resourceCountIs("AWS::Route53::RecordSet", 0);
        Map<String, Map<String, Object>> records = template.findResources("Custom::ZoneRecord");
        assertEquals(2, records.size());
        Pattern roleArn = Pattern.compile("\"assumedRoleArn\":\"arn:[^\"]*:iam::333333333333:role/[\\w+=,.@-]+\"");
        Pattern type = Pattern.compile("\"Type\":\"(\\w+)\"");
        List<String> types = new ArrayList<>();
        for (Map<String, Object> record : records.values()) {
            String call = flat(((Map<?, ?>) record.get("Properties")).get("Create"));
            assertTrue(call.contains("\"changeResourceRecordSets\""), call);
            assertTrue(call.contains("\"passkeys.example.com.\""), call);
            // The role's ARN in the zone's account, under the name CDK generated for it.
            assertTrue(roleArn.matcher(call).find(), call);
            Matcher found = type.matcher(call);
            assertTrue(found.find(), call);
            types.add(found.group(1));
        }
        assertEquals(List.of("A", "AAAA"), types.stream().sorted().toList());
    }

    @Test
    void pairFailsOverFromThePrimaryToAPilotLightSecondary() {
        Template primary = Template.fromJSON(pairPrimary);
        Template secondary = Template.fromJSON(pairSecondary);
        for (Map.Entry<Template, String> region : List.of(Map.entry(primary, "PRIMARY"), Map.entry(secondary, "SECONDARY"))) {
            Template template = region.getKey();
            template.resourceCountIs("AWS::Route53::RecordSet", 1);
            template.hasResourceProperties("AWS::Route53::RecordSet", Map.of(
                "Name", "auth.example.com.", "Type", "A", "HostedZoneId", "Z0123456789ABCDEFGHIJ", "Failover", region.getValue()));
            template.hasResourceProperties("AWS::Route53::HealthCheck", Map.of(
                "HealthCheckConfig", Match.objectLike(Map.of("Type", "HTTPS", "RequestInterval", 30, "FailureThreshold", 2))));
        }
        // Pilot light: the secondary's services stand by at no task, under the primary's maximum.
        Map<String, Map<String, Object>> targets = secondary.findResources("AWS::ApplicationAutoScaling::ScalableTarget");
        assertEquals(2, targets.size());
        for (Map<String, Object> target : targets.values()) {
            assertEquals(0, ((Number) ((Map<?, ?>) target.get("Properties")).get("MinCapacity")).intValue());
        }
        primary.hasResourceProperties("AWS::ApplicationAutoScaling::ScalableTarget", Map.of("MinCapacity", 3));
    }

    @Test
    void pairMakesADocumentDbGlobalClusterThatTheSecondaryJoins() {
        // Read from Java: the global cluster the secondary's data layer joined, and its regions.
        DocumentDbGlobalCluster globalCluster = pair.getSecondary().getDeployment().getDataLayer().getDocumentDbGlobalCluster();
        assertNotNull(globalCluster);
        assertEquals(List.of("us-west-2"), globalCluster.getSecondaryRegions().stream().map(r -> r.getRegion()).toList());
        String identifier = globalCluster.getGlobalClusterIdentifier();
        Template.fromJSON(pairPrimary).hasResourceProperties("AWS::DocDB::GlobalCluster",
            Map.of("GlobalClusterIdentifier", identifier, "DeletionProtection", true));
        Template secondary = Template.fromJSON(pairSecondary);
        secondary.hasResourceProperties("AWS::DocDB::DBCluster", Map.of("GlobalClusterIdentifier", identifier, "StorageEncrypted", true));
        secondary.resourcePropertiesCountIs("AWS::DocDB::DBInstance", Map.of("DBInstanceClass", "db.r6g.large"), 3);
    }

    @Test
    void pairReplicatesItsSecretAndGivesTheSecondaryRunbooksAndADashboard() {
        // The public properties, read from Java: the replica's key in a stack of the secondary's
        // region, the dashboard of both regions in the secondary's stack.
        assertEquals("us-west-2", Stack.of(pair.getSecondaryKey()).getRegion());
        assertNotNull(pair.getDashboard());
        assertEquals("Fido-secondary", Stack.of(pair.getDashboard()).getStackName());
        assertEquals("Fido-secondary", pair.getSecondary().getStackName());
        Template primary = Template.fromJSON(pairPrimary);
        Template secondary = Template.fromJSON(pairSecondary);
        secondary.resourcePropertiesCountIs("AWS::CloudWatch::Dashboard", Map.of("DashboardName", "arculus-auth-prod-pair"), 1);
        for (String runbook : List.of("FailoverRunbook", "SwitchoverRunbook", "FailbackRunbook")) {
            secondary.hasOutput(runbook, Map.of());
        }
        // The primary's application secret replicates to us-west-2 with the key of the keys' stack ...
        primary.hasResourceProperties("AWS::SecretsManager::Secret", Map.of(
            "GenerateSecretString", Match.objectLike(Map.of("GenerateStringKey", "jwtSecret")),
            "ReplicaRegions", List.of(Map.of("Region", "us-west-2", "KmsKeyId", Map.of(
                "Fn::GetAtt", List.of(Match.stringLikeRegexp("^ExportsReader"), Match.stringLikeRegexp("SecretEncryptionKey")))))));
        // ... and both of the secondary's services read JWT_SECRET from that replica, in us-west-2.
        secondary.resourcePropertiesCountIs("AWS::ECS::TaskDefinition", Map.of(
            "ContainerDefinitions", List.of(Match.objectLike(Map.of("Secrets", Match.arrayWith(List.of(Map.of(
                "Name", "JWT_SECRET",
                "ValueFrom", Map.of("Fn::Join", List.of("", Match.arrayWith(List.of(
                    ":secretsmanager:us-west-2:111111111111:secret:", ":jwtSecret::"))))))))))), 2);
    }

    /** The statements with this Sid in the policies of a template's resources of this type. */
    private static List<Map<?, ?>> statements(Map<String, Object> template, String type, String policy, String sid) {
        List<Map<?, ?>> found = new ArrayList<>();
        for (Map<String, Object> resource : Template.fromJSON(template).findResources(type).values()) {
            Map<?, ?> document = (Map<?, ?>) ((Map<?, ?>) resource.get("Properties")).get(policy);
            for (Object statement : (List<?>) document.get("Statement")) {
                if (sid.equals(((Map<?, ?>) statement).get("Sid"))) {
                    found.add((Map<?, ?>) statement);
                }
            }
        }
        return found;
    }

    /** The kms:ViaService of each key policy statement letting other accounts read the application secret. */
    private static List<?> secretReadersViaServices(Map<String, Object> template) {
        return statements(template, "AWS::KMS::Key", "KeyPolicy", "ApplicationSecretReadByOtherAccounts").stream()
            .map(statement -> ((Map<?, ?>) ((Map<?, ?>) statement.get("Condition")).get("StringEquals")).get("kms:ViaService"))
            .toList();
    }

    @Test
    void pairLetsAnotherAccountReadTheApplicationSecretInBothRegions() {
        // secrets.applicationSecretReaderAccounts: the secret's resource policy, replicated with it,
        // lets the other account read it ...
        List<Map<?, ?>> readers = statements(pairPrimary, "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", "ReadByOtherAccounts");
        assertEquals(1, readers.size(), readers.toString());
        String principal = flat(((Map<?, ?>) readers.get(0).get("Principal")).get("AWS"));
        assertTrue(principal.contains(":iam::222222222222:root"), principal);
        assertEquals(List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"), readers.get(0).get("Action"));
        // ... and the key of each region, the primary's own and the keys' stack's, lets it decrypt
        // through Secrets Manager of that region only.
        assertEquals(List.of("secretsmanager.us-east-1.amazonaws.com"), secretReadersViaServices(pairPrimary));
        assertEquals(List.of("secretsmanager.us-west-2.amazonaws.com"), secretReadersViaServices(pairKeys));
    }

    @Test
    void pairImagesReplicateToTheSecondaryRegion() {
        Template template = Template.fromJSON(pairImages);
        template.resourceCountIs("AWS::ECR::ReplicationConfiguration", 1);
        template.hasResourceProperties("AWS::ECR::ReplicationConfiguration", Map.of(
            "ReplicationConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of(
                "Destinations", List.of(Map.of("Region", "us-west-2", "RegistryId", "111111111111"),
                    Map.of("Region", "eu-west-1", "RegistryId", "222222222222"))))))));
        template.hasResourceProperties("AWS::ECR::RegistryPolicy", Map.of(
            "PolicyText", Map.of("Statement", List.of(Match.objectLike(Map.of("Action", "ecr:ReplicateImage", "Principal", Map.of("AWS",
                Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::333333333333:root"))))))))));
    }

    @Test
    void pairAccountsPlacesItsStacksInBothAccounts() {
        // The link (getSecondaryLink()) is the secondary's account's; the
        // replica's key stays in the primary's account, in the secondary's region.
        Map<String, List<String>> where = new TreeMap<>();
        pairAccountsStacks.forEach((role, stack) -> where.put(role, List.of(stack.getStackName(), stack.getAccount(), stack.getRegion())));
        assertEquals(Map.of(
            "primary", List.of("Fido-primary", "111111111111", "us-east-1"),
            "secondary", List.of("Fido-secondary", "222222222222", "us-west-2"),
            "link", List.of("Fido-secondary-link", "222222222222", "us-west-2"),
            "keys", List.of("Fido-secondary-keys", "111111111111", "us-west-2")), where);
    }

    @Test
    void pairAccountsKeepsBothFailoverRecordsInTheSecondaryAccount() {
        // The primary's account writes nothing in the zone: the secondary's account checks both
        // regions and holds both failover records, so that its runbooks act on checks of their own account.
        Template primary = Template.fromJSON(pairAccounts.get("primary"));
        Template secondary = Template.fromJSON(pairAccounts.get("secondary"));
        primary.resourceCountIs("AWS::Route53::RecordSet", 0);
        primary.resourceCountIs("AWS::Route53::HealthCheck", 0);
        secondary.resourceCountIs("AWS::Route53::RecordSet", 2);
        for (String role : List.of("PRIMARY", "SECONDARY")) {
            secondary.hasResourceProperties("AWS::Route53::RecordSet", Map.of(
                "Name", "auth.example.com.", "Type", "A", "HostedZoneId", "Z0123456789ABCDEFGHIJ", "Failover", role));
        }
    }

    @Test
    void pairAccountsLinkLetsThePrimaryAccountHandValuesAndEventsOver() {
        Template link = Template.fromJSON(pairAccounts.get("link"));
        Map<String, Object> primaryAccount = Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":iam::111111111111:root")));
        // The role the primary's stack assumes to put its values in the secondary's parameters ...
        link.hasResourceProperties("AWS::IAM::Role", Map.of(
            "AssumeRolePolicyDocument", Map.of("Statement", List.of(Match.objectLike(Map.of(
                "Action", "sts:AssumeRole", "Principal", Map.of("AWS", primaryAccount)))))));
        // ... and the default bus's policy letting it forward the application secret's changes.
        link.hasResourceProperties("AWS::Events::EventBusPolicy", Map.of(
            "EventBusName", "default",
            "Statement", Match.objectLike(Map.of("Action", "events:PutEvents", "Principal", Map.of("AWS", primaryAccount)))));
    }
}
