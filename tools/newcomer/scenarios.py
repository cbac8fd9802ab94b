"""The scenarios a newcomer's Python app builds beside the README's example, as a user writes them
in the app that `cdk init app --language python` made (tools/newcomer/run copies this file there): run
by `cdk synth` under that app's cdk.json feature flags, in its virtualenv, against the wheel of
this library. The same stacks as tools/newcomer/scenarios.ts."""
from aws_cdk import (
    App, Environment, SecretValue, Stack,
    aws_certificatemanager as acm, aws_route53 as route53, aws_secretsmanager as secretsmanager,
)
from constructs import Construct
from arculus_fido_cdk import (
    ArculusFidoDeployment, ArculusFidoStack, DeploymentEnvironment, DomainOptions, ImageOptions,
    MongoDbConnection,
)

env = Environment(account="111111111111", region="us-east-1")

app = App()
zone = route53.HostedZone.from_hosted_zone_attributes(app, "Zone",
    hosted_zone_id="Z0000000000000000000", zone_name="example.com")

# MongoDB Atlas with the database user's password kept in Secrets Manager: a dynamic reference,
# under the cdk init flag @aws-cdk/core:checkSecretUsage.
ArculusFidoStack(app, "FidoAtlasPassword",
    env=env,
    deployment_environment=DeploymentEnvironment.DEV,
    domain=DomainOptions(domain_name="auth.example.com", hosted_zone=zone),
    mongo_db=MongoDbConnection.from_endpoint(
        host="cluster0.abcde.mongodb.net",
        username="fido",
        password=SecretValue.secrets_manager("atlas/fido", json_field="password"),
    ),
    images=ImageOptions(tag="1.0.0"),
)


class FidoExistingSecretStack(Stack):
    """A stack of the user's own holding the construct, with the MongoDB connection read from a
    secret that already exists."""

    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        ArculusFidoDeployment(self, "Fido",
            deployment_environment=DeploymentEnvironment.STAGING,
            domain=DomainOptions(
                domain_name="auth.example.com",
                certificate=acm.Certificate.from_certificate_arn(self, "Certificate",
                    "arn:aws:acm:us-east-1:111111111111:certificate/00000000-0000-0000-0000-000000000000"),
            ),
            mongo_db=MongoDbConnection.from_secret(
                secretsmanager.Secret.from_secret_name_v2(self, "MongoSecret", "fido/mongodb")),
            images=ImageOptions(tag="1.0.0"),
        )


FidoExistingSecretStack(app, "FidoExistingSecret", env=env)

# DocumentDB in prod, in the three nested stacks.
ArculusFidoStack(app, "FidoDocumentDbProd",
    env=env,
    deployment_environment=DeploymentEnvironment.PROD,
    domain=DomainOptions(domain_name="auth.example.com", hosted_zone=zone),
    mongo_db=MongoDbConnection.document_db(),
    nested_stacks=True,
    images=ImageOptions(tag="1.0.0"),
)

app.synth()
