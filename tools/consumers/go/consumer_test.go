// A Go CDK app using the module jsii-pacmak generated into dist/go, as a Go user writes it. It
// runs the README's Go example as written and builds the `custom`, `pair` and `pair-accounts`
// scenarios of tools/consumers/reference.ts in Go; each template must equal the TypeScript synth of the same props
// (in $ARCULUS_REFERENCE_DIR), and carries what the options asked for.
package consumer

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	fido "github.com/arculus/arculus-fido-cdk-go/arculusfidocdk"
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsroute53"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssecretsmanager"
	"github.com/aws/jsii-runtime-go"
)

// runReadmeExample builds and runs the README's Go example as written, inside this module (so it
// resolves the generated package), and returns the template it synthesizes.
func runReadmeExample(t *testing.T) map[string]interface{} {
	t.Helper()
	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "languages.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := regexp.MustCompile("(?s)### Go\n\n```go\n(.*?)```").FindSubmatch(readme)
	if found == nil {
		t.Fatal("docs/languages.md has no Go example under '### Go'")
	}
	// A folder whose name starts with '_' is part of no package pattern, so `./...` skips it.
	dir, err := os.MkdirTemp(".", "_readme")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), found[1], 0o644); err != nil {
		t.Fatal(err)
	}
	outdir := t.TempDir()
	run := exec.Command("go", "run", "./"+filepath.Base(dir))
	run.Env = append(os.Environ(), "CDK_OUTDIR="+outdir)
	if output, err := run.CombinedOutput(); err != nil {
		t.Fatalf("the README's Go example does not run: %v\n%s", err, output)
	}
	return readJSON(t, filepath.Join(outdir, "ArculusFidoProd.template.json"))
}

// customStack is tools/consumers/reference.ts `custom` in Go: the Platform stack, whose domain's
// zone and FidoHostedZoneRole are in the Dns stack of another account.
func customStack() awscdk.Stack {
	app := awscdk.NewApp(nil)
	dns := awscdk.NewStack(app, jsii.String("Dns"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("333333333333"), Region: jsii.String("eu-west-1")},
	})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(dns, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: jsii.String("example.com"),
	})
	zoneRole := fido.NewFidoHostedZoneRole(dns, jsii.String("ZoneRole"), &fido.FidoHostedZoneRoleProps{
		HostedZone:      zone,
		DomainNames:     jsii.Strings("passkeys.example.com"),
		TrustedAccounts: jsii.Strings("111111111111"),
	})
	stack := awscdk.NewStack(app, jsii.String("Platform"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("eu-west-1")},
	})
	deployment := fido.NewArculusFidoDeployment(stack, jsii.String("Fido"), &fido.ArculusFidoDeploymentProps{
		DeploymentEnvironment: fido.DeploymentEnvironment_STAGING,
		ApplicationName:       jsii.String("passkeys"),
		Domain: &fido.DomainOptions{
			DomainName: jsii.String("passkeys.example.com"),
			Certificate: awscertificatemanager.Certificate_FromCertificateArn(stack, jsii.String("Certificate"),
				jsii.String("arn:aws:acm:eu-west-1:111111111111:certificate/11111111-1111-1111-1111-111111111111")),
			HostedZone:     zone,
			HostedZoneRole: zoneRole.Role(),
		},
		MongoDb: fido.MongoDbConnection_DocumentDb(&fido.DocumentDbOptions{
			Instances:        jsii.Number(2),
			InstanceType:     awsec2.InstanceType_Of(awsec2.InstanceClass_T4G, awsec2.InstanceSize_MEDIUM),
			BackupRetention:  awscdk.Duration_Days(jsii.Number(14)),
			RotationInterval: awscdk.Duration_Days(jsii.Number(60)),
		}),
		Network: &fido.NetworkOptions{
			NatGateways:     jsii.Number(2),
			NatType:         fido.NatType_INSTANCE,
			NatInstanceType: awsec2.NewInstanceType(jsii.String("t4g.micro")),
			AllowedIngress:  &[]awsec2.IPeer{awsec2.Peer_Ipv4(jsii.String("203.0.113.0/24")), awsec2.Peer_Ipv6(jsii.String("2001:db8::/32"))},
		},
		LoadBalancer: &fido.LoadBalancerOptions{IpAddressType: awselasticloadbalancingv2.IpAddressType_DUAL_STACK},
		Waf:          &fido.WafOptions{Enabled: jsii.Bool(true), RateLimit: jsii.Number(2000)},
		Encryption:   &fido.EncryptionOptions{CustomerManagedKey: jsii.Bool(true)},
		Images:       &fido.ImageOptions{Tag: jsii.String("2.1.0")},
		Sizing: &fido.SizingOptions{
			PyFido: &fido.ServiceSizing{
				Cpu: jsii.Number(1024), MemoryLimitMiB: jsii.Number(2048), DesiredCount: jsii.Number(2), MaxCapacity: jsii.Number(8),
				CpuArchitecture:                awsecs.CpuArchitecture_ARM64(),
				TargetMemoryUtilizationPercent: jsii.Number(75),
				Schedules: &[]*fido.ScheduledCapacity{{
					Name:        jsii.String("MorningPeak"),
					Schedule:    awsapplicationautoscaling.Schedule_Cron(&awsapplicationautoscaling.CronOptions{Hour: jsii.String("7"), Minute: jsii.String("30"), WeekDay: jsii.String("MON-FRI")}),
					TimeZone:    awscdk.TimeZone_EUROPE_BERLIN(),
					MinCapacity: jsii.Number(4),
				}},
				PredictiveScaling: fido.PredictiveScalingMode_FORECAST_ONLY,
			},
			OfficeHours: &fido.OfficeHours{Start: jsii.String("07:00"), End: jsii.String("20:00"), TimeZone: awscdk.TimeZone_EUROPE_BERLIN()},
		},
		Logging: &fido.LoggingOptions{Retention: awslogs.RetentionDays_ONE_YEAR},
		Secrets: &fido.SecretsOptions{ApplicationSecretRotationInterval: awscdk.Duration_Days(jsii.Number(14))},
		Services: &fido.ServicesOptions{
			PyFido: &fido.FidoServiceOptions{
				Deployment: &fido.ServiceDeploymentOptions{
					Strategy: awsecs.DeploymentStrategy_BLUE_GREEN,
					BakeTime: awscdk.Duration_Minutes(jsii.Number(10)),
					Checks:   &[]*fido.DeploymentCheck{{Path: jsii.String("/api/status"), ExpectedStatusCodes: jsii.String("200,401")}},
				},
			},
			Tomcat: &fido.FidoServiceOptions{
				ReadonlyRootFilesystem: jsii.Bool(true),
				WritablePaths:          jsii.Strings("/tmp", "/usr/local/tomcat/work"),
				Environment:            &map[string]*string{"JAVA_OPTS": jsii.String("-Xmx1536m")},
				EnableExecuteCommand:   jsii.Bool(true),
				Deployment: &fido.ServiceDeploymentOptions{
					Strategy:     awsecs.DeploymentStrategy_LINEAR,
					TrafficShift: &awsecs.TrafficShiftConfig{StepPercent: jsii.Number(20), StepBakeTime: awscdk.Duration_Minutes(jsii.Number(2))},
				},
			},
		},
		Monitoring: &fido.MonitoringOptions{
			Emails:     jsii.Strings("oncall@example.com"),
			Thresholds: &fido.AlarmThresholds{CpuPercent: jsii.Number(65), LatencyP99: awscdk.Duration_Seconds(jsii.Number(1))},
		},
	})
	deployment.Connections().AllowTo(awsec2.Peer_Ipv4(jsii.String("10.1.0.0/16")), awsec2.Port_Tcp(jsii.Number(5432)), jsii.String("Reporting database"))
	fido.NewFidoDataLayer(stack, jsii.String("AtlasData"), &fido.FidoDataLayerProps{
		DeploymentEnvironment: fido.DeploymentEnvironment_STAGING,
		Vpc:                   deployment.Network().Vpc(),
		ClientSecurityGroup:   deployment.Network().ServiceSecurityGroup(),
		MongoDb: fido.MongoDbConnection_FromEndpoint(&fido.MongoDbEndpointOptions{
			Host:     jsii.String("cluster0.abcde.mongodb.net"),
			Username: jsii.String("passkeys"),
			AtlasRotation: &fido.MongoDbAtlasRotationOptions{
				ProjectId: jsii.String("0123456789abcdef01234567"),
				ApiSecret: awssecretsmanager.Secret_FromSecretNameV2(stack, jsii.String("AtlasApi"), jsii.String("passkeys/atlas-api")),
			},
			RotationInterval: awscdk.Duration_Days(jsii.Number(7)),
		}),
	})
	return stack
}

func env(region string) *awscdk.Environment {
	return &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String(region)}
}

// pairStacks is tools/consumers/reference.ts `pair` in Go: the pair itself, and its stacks: the
// primary's, the secondary's, the secondary's keys' (reached through SecondaryKey()) and the images'.
// Another account may read the application secret (ApplicationSecretReaderAccounts).
func pairStacks(t *testing.T) (fido.ArculusFidoRegionPair, map[string]awscdk.Stack) {
	t.Helper()
	app := awscdk.NewApp(nil)
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(app, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: jsii.String("example.com"),
	})
	pair := fido.NewArculusFidoRegionPair(app, jsii.String("Fido"), &fido.ArculusFidoRegionPairProps{
		Deployment: &fido.ArculusFidoDeploymentProps{
			DeploymentEnvironment: fido.DeploymentEnvironment_PROD,
			Domain:                &fido.DomainOptions{DomainName: jsii.String("auth.example.com"), HostedZone: zone},
			MongoDb:               fido.MongoDbConnection_DocumentDb(nil),
			Images:                &fido.ImageOptions{Tag: jsii.String("1.0.0")},
			// Another account's deployment reads the application secret, in either region.
			Secrets: &fido.SecretsOptions{ApplicationSecretReaderAccounts: jsii.Strings("222222222222")},
		},
		Primary: &fido.PairRegionOptions{Env: env("us-east-1")},
		Secondary: &fido.SecondaryRegionOptions{
			Env:          env("us-west-2"),
			StandbyTasks: jsii.Number(0),
		},
		HealthCheckInterval: awscdk.Duration_Seconds(jsii.Number(30)),
		FailureThreshold:    jsii.Number(2),
	})
	imagesStack := fido.NewArculusFidoImagesStack(app, jsii.String("Images"), &fido.ArculusFidoImagesStackProps{
		Env:                   env("us-east-1"),
		DeploymentEnvironment: fido.DeploymentEnvironment_PROD,
		ReplicationRegions:    jsii.Strings("us-west-2"),
		// Another account's registry gets the pushes too, and a build account may push here.
		ReplicationRegistries:     &[]*fido.ImageReplicationRegistry{{Account: jsii.String("222222222222"), Region: jsii.String("eu-west-1")}},
		ReplicationSourceAccounts: jsii.Strings("333333333333"),
	})
	if pair.SecondaryKey() == nil {
		t.Fatal("the prod pair has no SecondaryKey: its key stack is missing")
	}
	return pair, map[string]awscdk.Stack{
		"primary": pair.Primary(), "secondary": pair.Secondary(), "keys": awscdk.Stack_Of(pair.SecondaryKey()), "images": imagesStack,
	}
}

// pairAccountsStacks is tools/consumers/reference.ts `pair-accounts` in Go: the stacks of the pair
// whose secondary is in another account: the primary's, the secondary's, the link's
// (SecondaryLink()) and the replica's key's (reached through SecondaryKey()).
func pairAccountsStacks(t *testing.T) map[string]awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(nil)
	imports := awscdk.NewStack(app, jsii.String("Imports"), &awscdk.StackProps{
		Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")},
	})
	zone := awsroute53.HostedZone_FromHostedZoneAttributes(app, jsii.String("Zone"), &awsroute53.HostedZoneAttributes{
		HostedZoneId: jsii.String("Z0123456789ABCDEFGHIJ"), ZoneName: jsii.String("example.com"),
	})
	pair := fido.NewArculusFidoRegionPair(app, jsii.String("Fido"), &fido.ArculusFidoRegionPairProps{
		Deployment: &fido.ArculusFidoDeploymentProps{
			DeploymentEnvironment: fido.DeploymentEnvironment_PROD,
			Domain: &fido.DomainOptions{
				DomainName: jsii.String("auth.example.com"),
				HostedZone: zone,
				Certificate: awscertificatemanager.Certificate_FromCertificateArn(imports, jsii.String("Certificate"),
					jsii.String("arn:aws:acm:us-east-1:111111111111:certificate/11111111-1111-1111-1111-111111111111")),
			},
			MongoDb: fido.MongoDbConnection_FromEndpoint(&fido.MongoDbEndpointOptions{Host: jsii.String("east.abcde.mongodb.net"), Username: jsii.String("fido")}),
			Images:  &fido.ImageOptions{Tag: jsii.String("1.0.0")},
		},
		Primary: &fido.PairRegionOptions{Env: &awscdk.Environment{Account: jsii.String("111111111111"), Region: jsii.String("us-east-1")}},
		Secondary: &fido.SecondaryRegionOptions{
			Env:     &awscdk.Environment{Account: jsii.String("222222222222"), Region: jsii.String("us-west-2")},
			MongoDb: fido.MongoDbConnection_FromEndpoint(&fido.MongoDbEndpointOptions{Host: jsii.String("west.abcde.mongodb.net"), Username: jsii.String("fido")}),
		},
	})
	if pair.SecondaryKey() == nil {
		t.Fatal("the prod pair has no SecondaryKey: its key stack is missing")
	}
	return map[string]awscdk.Stack{
		"primary": pair.Primary(), "secondary": pair.Secondary(),
		"link": pair.SecondaryLink(), "keys": awscdk.Stack_Of(pair.SecondaryKey()),
	}
}

// asJSON turns a synthesized template into plain JSON values, as its TypeScript reference is read.
func asJSON(t *testing.T, value interface{}) map[string]interface{} {
	t.Helper()
	text, err := json.Marshal(value)
	if err != nil {
		t.Fatal(err)
	}
	return parseJSON(t, text)
}

func reference(t *testing.T, name string) map[string]interface{} {
	return readJSON(t, filepath.Join(os.Getenv("ARCULUS_REFERENCE_DIR"), name+".json"))
}

func readJSON(t *testing.T, file string) map[string]interface{} {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parseJSON(t, text)
}

func parseJSON(t *testing.T, text []byte) map[string]interface{} {
	t.Helper()
	var parsed map[string]interface{}
	if err := json.Unmarshal(text, &parsed); err != nil {
		t.Fatal(err)
	}
	return parsed
}

func resourceTypes(template map[string]interface{}) map[string]int {
	counts := map[string]int{}
	for _, resource := range template["Resources"].(map[string]interface{}) {
		counts[resource.(map[string]interface{})["Type"].(string)]++
	}
	return counts
}

// flat is a string property of a template as text: an Fn::Join's parts joined, each reference
// written ${Ref} or ${Logical.Attr}.
func flat(t *testing.T, value interface{}) string {
	t.Helper()
	if text, ok := value.(string); ok {
		return text
	}
	join, ok := value.(map[string]interface{})["Fn::Join"].([]interface{})
	if !ok || len(join) != 2 {
		t.Fatalf("neither a string nor an Fn::Join: %v", value)
	}
	var parts []string
	for _, part := range join[1].([]interface{}) {
		switch token := part.(type) {
		case string:
			parts = append(parts, token)
		case map[string]interface{}:
			name := token["Ref"]
			if attribute, ok := token["Fn::GetAtt"].([]interface{}); ok {
				name = fmt.Sprintf("%v.%v", attribute[0], attribute[1])
			} else if name == nil {
				name = token
			}
			parts = append(parts, fmt.Sprintf("${%v}", name))
		default:
			t.Fatalf("an Fn::Join part neither a string nor a token: %v", part)
		}
	}
	return strings.Join(parts, join[0].(string))
}

// statements returns the statements with this Sid in the policies of a template's resources of this type.
func statements(t *testing.T, template assertions.Template, resourceType, policy, sid string) []map[string]interface{} {
	t.Helper()
	var found []map[string]interface{}
	for _, resource := range *template.FindResources(jsii.String(resourceType), nil) {
		document := (*resource)["Properties"].(map[string]interface{})[policy].(map[string]interface{})
		for _, statement := range document["Statement"].([]interface{}) {
			if statement := statement.(map[string]interface{}); statement["Sid"] == sid {
				found = append(found, statement)
			}
		}
	}
	return found
}

func assertSameAsTypeScript(t *testing.T, name string, template assertions.Template) {
	actual := asJSON(t, template.ToJSON())
	expected := reference(t, name)
	if got, want := resourceTypes(actual), resourceTypes(expected); !reflect.DeepEqual(got, want) {
		t.Fatalf("resource types and counts differ from the TypeScript synth:\n got %v\nwant %v", got, want)
	}
	resources := actual["Resources"].(map[string]interface{})
	for id, want := range expected["Resources"].(map[string]interface{}) {
		if got := resources[id]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s differs from the TypeScript synth:\n got %v\nwant %v", id, got, want)
		}
	}
	if !reflect.DeepEqual(actual["Outputs"], expected["Outputs"]) {
		t.Errorf("outputs differ from the TypeScript synth:\n got %v\nwant %v", actual["Outputs"], expected["Outputs"])
	}
}

func TestReadmeExample(t *testing.T) {
	synthesized := runReadmeExample(t)
	template := assertions.Template_FromJSON(&synthesized, nil)
	assertSameAsTypeScript(t, "readme", template)

	template.ResourceCountIs(jsii.String("AWS::ECS::Service"), jsii.Number(2))
	for _, port := range []float64{443, 5001, 8080} {
		template.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::Listener"), map[string]interface{}{"Port": port, "Protocol": "HTTPS"})
	}
	template.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), map[string]interface{}{"Name": "auth.example.com.", "Type": "A"})
	template.HasOutput(jsii.String("LoadBalancerDNS"), map[string]interface{}{})
	template.HasOutput(jsii.String("MongoDBSecretArn"), map[string]interface{}{})
}

func TestCustomScenario(t *testing.T) {
	template := assertions.Template_FromStack(customStack(), nil)
	assertSameAsTypeScript(t, "custom", template)

	template.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]interface{}{
		"Cpu": "1024", "Memory": "2048",
		"RuntimePlatform": map[string]interface{}{"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
	})
	template.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]interface{}{
		"ContainerDefinitions": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"ReadonlyRootFilesystem": true})},
	})
	template.HasResourceProperties(jsii.String("AWS::WAFv2::WebACL"), map[string]interface{}{
		"Rules": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"Statement": map[string]interface{}{"RateBasedStatement": assertions.Match_ObjectLike(&map[string]interface{}{"Limit": 2000})},
		})}),
	})
	// A dual-stack load balancer in a VPC with IPv6, admitting the IPv6 range given.
	template.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::LoadBalancer"), map[string]interface{}{"IpAddressType": "dualstack"})
	template.ResourceCountIs(jsii.String("AWS::EC2::VPCCidrBlock"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), map[string]interface{}{
		"SecurityGroupIngress": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{"CidrIpv6": "2001:db8::/32", "FromPort": 443})}),
	})
	// Two NAT instances of the type named, and no NAT gateway.
	template.ResourceCountIs(jsii.String("AWS::EC2::NatGateway"), jsii.Number(0))
	template.ResourceCountIs(jsii.String("AWS::EC2::Instance"), jsii.Number(2))
	template.HasResourceProperties(jsii.String("AWS::EC2::Instance"), map[string]interface{}{"InstanceType": "t4g.micro"})
	template.ResourceCountIs(jsii.String("AWS::DocDB::DBInstance"), jsii.Number(2))
	template.HasResourceProperties(jsii.String("AWS::DocDB::DBInstance"), map[string]interface{}{"DBInstanceClass": "db.t4g.medium"})
	template.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]interface{}{"LogGroupName": "/ecs/passkeys/staging/pyfido", "RetentionInDays": 365})
	template.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroup"), map[string]interface{}{
		"SecurityGroupEgress": assertions.Match_ArrayWith(&[]interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"CidrIp": "10.1.0.0/16", "FromPort": 5432, "ToPort": 5432,
		})}),
	})
	template.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(1))
	template.HasResourceProperties(jsii.String("AWS::ECS::Service"), map[string]interface{}{
		"DeploymentConfiguration": assertions.Match_ObjectLike(&map[string]interface{}{"Strategy": "BLUE_GREEN", "BakeTimeInMinutes": 10}),
	})
	template.HasResourceProperties(jsii.String("AWS::ECS::Service"), map[string]interface{}{
		"DeploymentConfiguration": assertions.Match_ObjectLike(&map[string]interface{}{
			"Strategy": "LINEAR", "LinearConfiguration": map[string]interface{}{"StepPercent": 20, "StepBakeTimeInMinutes": 2},
		}),
	})
	template.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), map[string]interface{}{"Protocol": "email", "Endpoint": "oncall@example.com"})
	template.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]interface{}{"AlarmName": "passkeys-staging-tomcat-cpu", "Threshold": 65})
	template.HasResourceProperties(jsii.String("AWS::ECS::Service"), map[string]interface{}{"EnableExecuteCommand": true})
	template.ResourceCountIs(jsii.String("AWS::SSM::Document"), jsii.Number(4))
	template.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]interface{}{
		"Environment": map[string]interface{}{"Variables": assertions.Match_ObjectLike(&map[string]interface{}{
			"ATLAS_PROJECT_ID": "0123456789abcdef01234567", "MONGODB_USERNAME": "passkeys",
		})},
	})
	template.HasResourceProperties(jsii.String("AWS::SecretsManager::RotationSchedule"), map[string]interface{}{
		"RotationRules": map[string]interface{}{"ScheduleExpression": "rate(7 days)"},
	})

	// domain.hostedZoneRole: no record set in this account's template; custom resources write the
	// dual-stack load balancer's alias A and AAAA records in the Dns stack's zone, as its role.
	template.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(0))
	records := *template.FindResources(jsii.String("Custom::ZoneRecord"), nil)
	if len(records) != 2 {
		t.Fatalf("the template has %d Custom::ZoneRecord resources, want 2 (A and AAAA)", len(records))
	}
	roleArn := regexp.MustCompile(`"assumedRoleArn":"arn:[^"]*:iam::333333333333:role/[\w+=,.@-]+"`)
	recordType := regexp.MustCompile(`"Type":"(\w+)"`)
	var types []string
	for id, record := range records {
		call := flat(t, (*record)["Properties"].(map[string]interface{})["Create"])
		for _, want := range []string{`"changeResourceRecordSets"`, `"passkeys.example.com."`} {
			if !strings.Contains(call, want) {
				t.Errorf("%s: its Create call has no %s: %s", id, want, call)
			}
		}
		// The role's ARN in the zone's account, under the name CDK generated for it.
		if !roleArn.MatchString(call) {
			t.Errorf("%s: its Create call assumes no role of 333333333333: %s", id, call)
		}
		if found := recordType.FindStringSubmatch(call); found != nil {
			types = append(types, found[1])
		}
	}
	sort.Strings(types)
	if !reflect.DeepEqual(types, []string{"A", "AAAA"}) {
		t.Errorf("the records written in the zone are of types %v, want [A AAAA]", types)
	}
}

func TestPairScenario(t *testing.T) {
	pair, stacks := pairStacks(t)
	primary := assertions.Template_FromStack(stacks["primary"], nil)
	secondary := assertions.Template_FromStack(stacks["secondary"], nil)
	keys := assertions.Template_FromStack(stacks["keys"], nil)
	images := assertions.Template_FromStack(stacks["images"], nil)
	assertSameAsTypeScript(t, "pair-primary", primary)
	assertSameAsTypeScript(t, "pair-secondary", secondary)
	assertSameAsTypeScript(t, "pair-keys", keys)
	assertSameAsTypeScript(t, "pair-images", images)

	for role, template := range map[string]assertions.Template{"PRIMARY": primary, "SECONDARY": secondary} {
		template.ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(1))
		template.HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), map[string]interface{}{
			"Name": "auth.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Failover": role,
		})
		template.HasResourceProperties(jsii.String("AWS::Route53::HealthCheck"), map[string]interface{}{
			"HealthCheckConfig": assertions.Match_ObjectLike(&map[string]interface{}{"Type": "HTTPS", "RequestInterval": 30, "FailureThreshold": 2}),
		})
	}
	// Pilot light: the secondary's services stand by at no task, under the primary's maximum.
	targets := *secondary.FindResources(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), nil)
	if len(targets) != 2 {
		t.Fatalf("the secondary has %d scalable targets, want 2", len(targets))
	}
	for id, target := range targets {
		properties := (*target)["Properties"].(map[string]interface{})
		if properties["MinCapacity"] != float64(0) {
			t.Errorf("%s: MinCapacity is %v, want 0 (standbyTasks)", id, properties["MinCapacity"])
		}
	}
	primary.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]interface{}{"MinCapacity": 3})

	// Read from Go: the DocumentDB global cluster the secondary's data layer joined, and its regions.
	globalCluster := pair.Secondary().Deployment().DataLayer().DocumentDbGlobalCluster()
	if globalCluster == nil {
		t.Fatal("the secondary's data layer has no DocumentDbGlobalCluster")
	}
	if regions := *globalCluster.SecondaryRegions; len(regions) != 1 || *regions[0].Region != "us-west-2" {
		t.Errorf("the global cluster's secondary regions are %v, want [us-west-2]", regions)
	}
	identifier := *globalCluster.GlobalClusterIdentifier
	primary.HasResourceProperties(jsii.String("AWS::DocDB::GlobalCluster"), map[string]interface{}{"GlobalClusterIdentifier": identifier, "DeletionProtection": true})
	secondary.HasResourceProperties(jsii.String("AWS::DocDB::DBCluster"), map[string]interface{}{"GlobalClusterIdentifier": identifier, "StorageEncrypted": true})
	secondary.ResourcePropertiesCountIs(jsii.String("AWS::DocDB::DBInstance"), map[string]interface{}{"DBInstanceClass": "db.r6g.large"}, jsii.Number(3))

	// The public properties, read from Go: the replica's key in a stack of the secondary's region,
	// the dashboard of both regions in the secondary's stack.
	if region := *awscdk.Stack_Of(pair.SecondaryKey()).Region(); region != "us-west-2" {
		t.Errorf("the secondary's key is in %s, want us-west-2", region)
	}
	if pair.Dashboard() == nil {
		t.Fatal("the pair has no Dashboard")
	}
	if name := *awscdk.Stack_Of(pair.Dashboard()).StackName(); name != "Fido-secondary" || *pair.Secondary().StackName() != name {
		t.Errorf("the pair's dashboard is in %s, want the secondary's stack, Fido-secondary", name)
	}
	secondary.ResourcePropertiesCountIs(jsii.String("AWS::CloudWatch::Dashboard"), map[string]interface{}{"DashboardName": "arculus-auth-prod-pair"}, jsii.Number(1))
	for _, runbook := range []string{"FailoverRunbook", "SwitchoverRunbook", "FailbackRunbook"} {
		secondary.HasOutput(jsii.String(runbook), map[string]interface{}{})
	}
	// The primary's application secret replicates to us-west-2 with the key of the keys' stack ...
	primary.HasResourceProperties(jsii.String("AWS::SecretsManager::Secret"), map[string]interface{}{
		"GenerateSecretString": assertions.Match_ObjectLike(&map[string]interface{}{"GenerateStringKey": "jwtSecret"}),
		"ReplicaRegions": []interface{}{map[string]interface{}{"Region": "us-west-2", "KmsKeyId": map[string]interface{}{
			"Fn::GetAtt": []interface{}{assertions.Match_StringLikeRegexp(jsii.String("^ExportsReader")), assertions.Match_StringLikeRegexp(jsii.String("SecretEncryptionKey"))},
		}}},
	})
	// ... and both of the secondary's services read JWT_SECRET from that replica, in us-west-2.
	secondary.ResourcePropertiesCountIs(jsii.String("AWS::ECS::TaskDefinition"), map[string]interface{}{
		"ContainerDefinitions": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"Secrets": assertions.Match_ArrayWith(&[]interface{}{map[string]interface{}{
				"Name": "JWT_SECRET",
				"ValueFrom": map[string]interface{}{"Fn::Join": []interface{}{"", assertions.Match_ArrayWith(&[]interface{}{
					":secretsmanager:us-west-2:111111111111:secret:", ":jwtSecret::",
				})}},
			}}),
		})},
	}, jsii.Number(2))

	// secrets.applicationSecretReaderAccounts: the secret's resource policy, replicated with it, lets
	// the other account read it ...
	readers := statements(t, primary, "AWS::SecretsManager::ResourcePolicy", "ResourcePolicy", "ReadByOtherAccounts")
	if len(readers) != 1 {
		t.Errorf("the primary's secret policies have %d statements ReadByOtherAccounts, want 1: %v", len(readers), readers)
	} else {
		if principal := flat(t, readers[0]["Principal"].(map[string]interface{})["AWS"]); !strings.Contains(principal, ":iam::222222222222:root") {
			t.Errorf("ReadByOtherAccounts is for %s, want the root of 222222222222", principal)
		}
		if actions := readers[0]["Action"]; !reflect.DeepEqual(actions, []interface{}{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"}) {
			t.Errorf("ReadByOtherAccounts allows %v, want [secretsmanager:GetSecretValue secretsmanager:DescribeSecret]", actions)
		}
	}
	// ... and the key of each region, the primary's own and the keys' stack's, lets it decrypt
	// through Secrets Manager of that region only.
	for name, region := range map[string]struct {
		template assertions.Template
		want     string
	}{"primary": {primary, "secretsmanager.us-east-1.amazonaws.com"}, "keys": {keys, "secretsmanager.us-west-2.amazonaws.com"}} {
		var services []interface{}
		for _, statement := range statements(t, region.template, "AWS::KMS::Key", "KeyPolicy", "ApplicationSecretReadByOtherAccounts") {
			services = append(services, statement["Condition"].(map[string]interface{})["StringEquals"].(map[string]interface{})["kms:ViaService"])
		}
		if !reflect.DeepEqual(services, []interface{}{region.want}) {
			t.Errorf("the %s template's key policies let other accounts decrypt the application secret via %v, want [%s]", name, services, region.want)
		}
	}

	images.ResourceCountIs(jsii.String("AWS::ECR::ReplicationConfiguration"), jsii.Number(1))
	images.HasResourceProperties(jsii.String("AWS::ECR::ReplicationConfiguration"), map[string]interface{}{
		"ReplicationConfiguration": map[string]interface{}{"Rules": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"Destinations": []interface{}{
				map[string]interface{}{"Region": "us-west-2", "RegistryId": "111111111111"},
				map[string]interface{}{"Region": "eu-west-1", "RegistryId": "222222222222"},
			},
		})}},
	})
	images.HasResourceProperties(jsii.String("AWS::ECR::RegistryPolicy"), map[string]interface{}{
		"PolicyText": map[string]interface{}{"Statement": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"Action": "ecr:ReplicateImage",
			"Principal": map[string]interface{}{"AWS": map[string]interface{}{"Fn::Join": []interface{}{
				"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::333333333333:root"},
			}}},
		})}},
	})
}

func TestPairAccountsScenario(t *testing.T) {
	stacks := pairAccountsStacks(t)
	templates := map[string]assertions.Template{}
	for role, stack := range stacks {
		templates[role] = assertions.Template_FromStack(stack, nil)
		assertSameAsTypeScript(t, "pair-accounts-"+role, templates[role])
	}

	// The link (SecondaryLink()) is the secondary's account's; the replica's key
	// stays in the primary's account, in the secondary's region.
	want := map[string][3]string{
		"primary":   {"Fido-primary", "111111111111", "us-east-1"},
		"secondary": {"Fido-secondary", "222222222222", "us-west-2"},
		"link":      {"Fido-secondary-link", "222222222222", "us-west-2"},
		"keys":      {"Fido-secondary-keys", "111111111111", "us-west-2"},
	}
	for role, stack := range stacks {
		if where := [3]string{*stack.StackName(), *stack.Account(), *stack.Region()}; where != want[role] {
			t.Errorf("the %s stack is %v, want %v", role, where, want[role])
		}
	}

	// The primary's account writes nothing in the zone: the secondary's account checks both regions
	// and holds both failover records, so that its runbooks act on checks of their own account.
	templates["primary"].ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(0))
	templates["primary"].ResourceCountIs(jsii.String("AWS::Route53::HealthCheck"), jsii.Number(0))
	templates["secondary"].ResourceCountIs(jsii.String("AWS::Route53::RecordSet"), jsii.Number(2))
	for _, role := range []string{"PRIMARY", "SECONDARY"} {
		templates["secondary"].HasResourceProperties(jsii.String("AWS::Route53::RecordSet"), map[string]interface{}{
			"Name": "auth.example.com.", "Type": "A", "HostedZoneId": "Z0123456789ABCDEFGHIJ", "Failover": role,
		})
	}

	primaryAccount := map[string]interface{}{"Fn::Join": []interface{}{
		"", []interface{}{"arn:", map[string]interface{}{"Ref": "AWS::Partition"}, ":iam::111111111111:root"},
	}}
	// The role the primary's stack assumes to put its values in the secondary's parameters ...
	templates["link"].HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]interface{}{
		"AssumeRolePolicyDocument": map[string]interface{}{"Statement": []interface{}{assertions.Match_ObjectLike(&map[string]interface{}{
			"Action": "sts:AssumeRole", "Principal": map[string]interface{}{"AWS": primaryAccount},
		})}},
	})
	// ... and the default bus's policy letting it forward the application secret's changes.
	templates["link"].HasResourceProperties(jsii.String("AWS::Events::EventBusPolicy"), map[string]interface{}{
		"EventBusName": "default",
		"Statement": assertions.Match_ObjectLike(&map[string]interface{}{
			"Action": "events:PutEvents", "Principal": map[string]interface{}{"AWS": primaryAccount},
		}),
	})
}
