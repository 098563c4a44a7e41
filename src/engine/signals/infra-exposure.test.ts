import { describe, expect, it } from "vitest";
import { hitsForAdded, scan, signalCases } from "../../../test/helpers/signal-cases.js";
import { infraExposure } from "./infra-exposure.js";

signalCases(infraExposure, {
  fires: {
    "infra/network.tf": [
      '    cidr_blocks      = ["0.0.0.0/0"]',
      '    ipv6_cidr_blocks = ["::/0"]',
      '  source_ranges = ["0.0.0.0/0"]',
      '  cidr_ipv4         = "0.0.0.0/0"',
      '    source_address_prefix      = "*"',
      '    source_address_prefix      = "Internet"',
      '  ingress_cidr_blocks = ["0.0.0.0/0"]',
      '  egress_cidr_blocks  = ["0.0.0.0/0"]',
      '  default     = ["0.0.0.0/0"]',
    ],
    "infra/storage.tf": [
      '  acl    = "public-read"',
      "  block_public_acls       = false",
      "  restrict_public_buckets = false",
      '  member = "allUsers"',
      '  members = ["allAuthenticatedUsers"]',
      '  role_entity = ["READER:allUsers"]',
      '  predefined_acl = "publicRead"',
      "  allow_nested_items_to_be_public = true",
      '  container_access_type = "blob"',
      "  public_network_access_enabled = true",
    ],
    "infra/db.tf": [
      "  publicly_accessible    = true",
      "  associate_public_ip_address = true",
      "  map_public_ip_on_launch = true",
      "    access_config {",
      "      ipv4_enabled = true",
    ],
    "infra/lb.tf": ["  internal           = false", '  load_balancing_scheme = "EXTERNAL_MANAGED"', "    endpoint_public_access  = true"],
    "infra/iam.tf": [
      '    actions   = ["*"]',
      '    actions   = ["s3:*"]',
      '      Action   = "*"',
      '      identifiers = ["*"]',
      '  principal     = "*"',
      '        "Action": "iam:*",',
      '      "Principal": "*",',
    ],
    "infra/k8s.tf": ['    type = "LoadBalancer"', "    host_network = true"],
    "policies/bucket-policy.json": ['      "Principal": "*",', '      "Principal": { "AWS": "*" },', '      "Action": ["s3:*"],'],
    "azure/nsg.json": ['          "sourceAddressPrefix": "*",', '    "allowBlobPublicAccess": true,'],
    "cloudformation/template.yaml": [
      "          CidrIp: 0.0.0.0/0",
      "          CidrIpv6: ::/0",
      "      PubliclyAccessible: true",
      "      Scheme: internet-facing",
      "        BlockPublicAcls: false",
      "      AccessControl: PublicRead",
      '            Action: "*"',
      "              - 's3:*'",
      "            Principal: '*'",
      '              AWS: "*"',
      "      AssociatePublicIpAddress: true",
    ],
    "k8s/service.yaml": [
      "  type: LoadBalancer",
      "  type: NodePort",
      "    - 0.0.0.0/0",
      "  externalIPs:",
      "    service.beta.kubernetes.io/aws-load-balancer-scheme: internet-facing",
    ],
    "k8s/ingress.yaml": ["kind: Ingress", "    alb.ingress.kubernetes.io/scheme: internet-facing"],
    "k8s/gateway.yaml": ["kind: Gateway"],
    "k8s/deployment.yaml": ["      hostNetwork: true", "            hostPort: 8080"],
    "k8s/netpol.yaml": ["  ingress: [{}]", "            cidr: 0.0.0.0/0"],
    "k8s/rbac.yaml": ['    verbs: ["*"]'],
    "charts/api/values.yaml": ["  type: LoadBalancer"],
    "docker-compose.yml": [
      '      - "0.0.0.0:5432:5432"',
      '      - "5432:5432"',
      "      - 6379:6379",
      '      - "27018:27017"',
      "    network_mode: host",
      "        host_ip: 0.0.0.0",
    ],
    "deploy/compose.prod.yaml": ['      - "3306:3306"'],
  },
  silent: {
    "infra/network.tf": [
      '    cidr_blocks = ["10.0.0.0/8"]',
      '    cidr_blocks = ["172.16.0.0/12", "192.168.0.0/16"]',
      '  cidr_block = "0.0.0.0/0"',
      '  destination_cidr_block = "0.0.0.0/0"',
      '  description = "Allow HTTPS from 0.0.0.0/0"',
      '  description = "CIDRs allowed in, e.g. 0.0.0.0/0"',
      '    # cidr_blocks = ["0.0.0.0/0"]',
      '    // cidr_blocks = ["0.0.0.0/0"]',
      '    condition     = !contains(var.allowed_cidrs, "0.0.0.0/0")',
      '    error_message = "0.0.0.0/0 is not allowed."',
      '  source_address_prefix = "10.0.0.0/16"',
      '  source_address_prefix = "VirtualNetwork"',
      '  destination_address_prefix = "*"',
    ],
    "infra/storage.tf": [
      '  acl    = "private"',
      "  block_public_acls       = true",
      '  member = "serviceAccount:ci@acme.iam.gserviceaccount.com"',
      '  container_access_type = "private"',
      "  public_network_access_enabled = false",
    ],
    "infra/db.tf": ["  publicly_accessible    = false", "  associate_public_ip_address = false"],
    "infra/lb.tf": ["  internal           = true", '  load_balancing_scheme = "INTERNAL"'],
    "infra/iam.tf": [
      '    resources = ["*"]',
      '    actions   = ["s3:GetObject", "s3:ListBucket"]',
      '    not_actions = ["iam:*"]',
      '    actions   = ["ec2:Describe*"]',
      '      identifiers = ["arn:aws:iam::123456789012:root"]',
    ],
    "k8s/service.yaml": [
      "  type: ClusterIP",
      "  # type: LoadBalancer",
      "    - 10.0.0.0/8",
      "      nodePort: 30080",
      "kind: Service",
      "kind: IngressClass",
      "  ingressClassName: nginx",
      "description: Allows traffic from the load balancer, never 0.0.0.0/0 directly",
      "    hostNetwork: false",
    ],
    "cloudformation/template.yaml": ["          CidrIp: 10.0.0.0/16", "      PubliclyAccessible: false", "      Scheme: internal", "          DestinationCidrBlock: 0.0.0.0/0"],
    "policies/policy.json": ['      "Resource": "*",', '      "Action": "s3:GetObject",', '      "Principal": { "Service": "lambda.amazonaws.com" },'],
    "docker-compose.yml": [
      '      - "127.0.0.1:5432:5432"',
      '      - "8080:8080"',
      '      - "3000:3000"',
      "    expose:",
      '      - "5432"',
      "    network_mode: bridge",
      "      - 8080:80",
    ],
    Dockerfile: ["EXPOSE 8080", "EXPOSE 5432"],
    "src/server.ts": ['app.listen(3000, "0.0.0.0");', 'const ANYWHERE = "0.0.0.0/0";', 'const policy = { Principal: "*" };'],
    "app/main.py": ['uvicorn.run(app, host="0.0.0.0", port=8000)', 'ALLOWED = ["0.0.0.0/0"]'],
    "cmd/api/main.go": ['\thttp.ListenAndServe("0.0.0.0:8080", mux)'],
    "src/main/resources/application.yml.txt": ["server.address: 0.0.0.0"],
    ".github/workflows/ci.yml": ["  cidr: 0.0.0.0/0", "    type: LoadBalancer"],
    "docs/networking.md": ['cidr_blocks = ["0.0.0.0/0"]'],
  },
  moved: {
    "infra/network.tf": ['    cidr_blocks      = ["0.0.0.0/0"]'],
    "infra/storage.tf": ['  acl    = "public-read"'],
    "infra/iam.tf": ['    actions   = ["*"]'],
    "k8s/service.yaml": ["  type: LoadBalancer"],
    "docker-compose.yml": ['      - "5432:5432"'],
  },
});

const labels = (hits: { line: number; label: string }[]) => hits.map((h) => [h.line, h.label]);
const tf = "infra/network.tf";

describe("infra-exposure: ingress or egress", () => {
  const sg = (block: string) => ['resource "aws_security_group" "web" {', `  ${block} {`, "    from_port   = 443", "    to_port     = 443", '    protocol    = "tcp"'];
  it("a security group's ingress and egress blocks are labelled apart", () => {
    expect(labels(hitsForAdded(infraExposure, tf, '    cidr_blocks = ["0.0.0.0/0"]', sg("ingress")))).toEqual([[6, "ingress open to the internet"]]);
    expect(labels(hitsForAdded(infraExposure, tf, '    cidr_blocks = ["0.0.0.0/0"]', sg("egress")))).toEqual([[6, "egress open to the internet (lower risk)"]]);
  });
  it("a multi-line CIDR list takes its key and block from above", () => {
    const hits = hitsForAdded(infraExposure, tf, '      "0.0.0.0/0",', [...sg("ingress"), "    cidr_blocks = ["]);
    expect(labels(hits)).toEqual([[7, "ingress open to the internet"]]);
  });
  it("aws_security_group_rule reads its type, the VPC rule resources read their names", () => {
    const rule = (type: string) => ['resource "aws_security_group_rule" "out" {', `  type              = "${type}"`, "  from_port         = 0"];
    expect(labels(hitsForAdded(infraExposure, tf, '  cidr_blocks       = ["0.0.0.0/0"]', rule("egress")))).toEqual([[4, "egress open to the internet (lower risk)"]]);
    expect(labels(hitsForAdded(infraExposure, tf, '  cidr_blocks       = ["0.0.0.0/0"]', rule("ingress")))).toEqual([[4, "ingress open to the internet"]]);
    const vpcRule = ['resource "aws_vpc_security_group_egress_rule" "all" {', "  security_group_id = aws_security_group.web.id"];
    expect(labels(hitsForAdded(infraExposure, tf, '  cidr_ipv4         = "0.0.0.0/0"', vpcRule))).toEqual([[3, "egress open to the internet (lower risk)"]]);
  });
  it("GCP firewalls: EGRESS direction is egress, a deny rule is protection", () => {
    const fw = (extra: string[]) => ['resource "google_compute_firewall" "fw" {', '  network   = "default"', ...extra];
    expect(labels(hitsForAdded(infraExposure, tf, '  destination_ranges = ["0.0.0.0/0"]', fw(['  direction = "EGRESS"'])))).toEqual([
      [4, "egress open to the internet (lower risk)"],
    ]);
    expect(hitsForAdded(infraExposure, tf, '  source_ranges = ["0.0.0.0/0"]', fw(["  deny {", '    protocol = "tcp"', "  }"]))).toEqual([]);
  });
  it("Azure NSG rules: inbound allow fires, outbound or deny does not", () => {
    const rule = (direction: string, access: string) => ["  security_rule {", '    name                       = "web"', `    direction                  = "${direction}"`, `    access                     = "${access}"`];
    const line = '    source_address_prefix      = "*"';
    expect(labels(hitsForAdded(infraExposure, tf, line, rule("Inbound", "Allow")))).toEqual([[5, "ingress open to the internet"]]);
    expect(hitsForAdded(infraExposure, tf, line, rule("Outbound", "Allow"))).toEqual([]);
    expect(hitsForAdded(infraExposure, tf, line, rule("Inbound", "Deny"))).toEqual([]);
  });
  it("route tables are not exposure; a network ACL rule reads its egress flag and action", () => {
    expect(hitsForAdded(infraExposure, tf, '    cidr_block = "0.0.0.0/0"', ['resource "aws_route_table" "public" {', "  route {"])).toEqual([]);
    const nacl = (action: string) => ['resource "aws_network_acl_rule" "in" {', "  egress      = false", `  rule_action = "${action}"`];
    expect(labels(hitsForAdded(infraExposure, tf, '  cidr_block  = "0.0.0.0/0"', nacl("allow")))).toEqual([[4, "ingress open to the internet"]]);
    expect(hitsForAdded(infraExposure, tf, '  cidr_block  = "0.0.0.0/0"', nacl("deny"))).toEqual([]);
  });
  it("Kubernetes: LoadBalancer source ranges and NetworkPolicy blocks", () => {
    expect(labels(hitsForAdded(infraExposure, "k8s/service.yaml", "    - 0.0.0.0/0", ["spec:", "  loadBalancerSourceRanges:"]))).toEqual([
      [3, "LoadBalancer source ranges open to the internet"],
    ]);
    const netpol = (dir: string, peer: string) => ["spec:", `  ${dir}:`, `    - ${peer}:`, "        - ipBlock:"];
    expect(labels(hitsForAdded(infraExposure, "k8s/netpol.yaml", "            cidr: 0.0.0.0/0", netpol("egress", "to")))).toEqual([
      [5, "egress open to the internet (lower risk)"],
    ]);
    expect(labels(hitsForAdded(infraExposure, "k8s/netpol.yaml", "            cidr: 0.0.0.0/0", netpol("ingress", "from")))).toEqual([[5, "ingress open to the internet"]]);
  });
  it("CloudFormation: SecurityGroupIngress above a list item decides", () => {
    const ctx = ["      SecurityGroupIngress:", "        - IpProtocol: tcp", "          FromPort: 22", "          ToPort: 22"];
    expect(labels(hitsForAdded(infraExposure, "cloudformation/template.yaml", "          CidrIp: 0.0.0.0/0", ctx))).toEqual([[5, "ingress open to the internet"]]);
  });
  it("with the whole file, a block opened above the hunk decides", () => {
    const content = ['resource "aws_security_group" "web" {', "  egress {", "    from_port = 0", "    to_port   = 0", '    protocol  = "-1"', '    cidr_blocks = ["0.0.0.0/0"]', "  }", "}"].join("\n");
    const patch = ["@@ -4,4 +4,5 @@", "     to_port   = 0", '     protocol  = "-1"', '+    cidr_blocks = ["0.0.0.0/0"]', "   }", " }"].join("\n");
    expect(labels(scan(infraExposure, [{ path: tf, status: "modified", patch, content }]))).toEqual([[6, "egress open to the internet (lower risk)"]]);
    expect(labels(scan(infraExposure, [{ path: tf, status: "modified", patch }]))).toEqual([[6, "CIDR open to the internet"]]);
  });
  it("free text under a description block is not a rule", () => {
    const hits = hitsForAdded(infraExposure, "k8s/netpol.yaml", "    Health checks arrive from 0.0.0.0/0", ["metadata:", "  annotations:", "  description: |"]);
    expect(hits).toEqual([]);
  });
});

describe("infra-exposure: policies", () => {
  it("the TLS-only bucket policy (Deny, Principal *) is protection, an Allow is exposure", () => {
    const stmt = (effect: string) => ["{", '  "Statement": [', "    {", `      "Effect": "${effect}",`];
    const line = '      "Principal": "*",';
    expect(hitsForAdded(infraExposure, "policies/bucket-policy.json", line, stmt("Deny"))).toEqual([]);
    expect(labels(hitsForAdded(infraExposure, "policies/bucket-policy.json", line, stmt("Allow")))).toEqual([[5, "public principal (*)"]]);
  });
  it("a principal narrowed by a Condition does not fire", () => {
    const ctx = ["    {", '      "Effect": "Allow",', '      "Condition": { "StringEquals": { "aws:PrincipalOrgID": "o-abc123" } },'];
    expect(hitsForAdded(infraExposure, "policies/bucket-policy.json", '      "Principal": { "AWS": "*" },', ctx)).toEqual([]);
  });
  it("Terraform policy documents: effect and condition beside the principals block", () => {
    const doc = (extra: string[]) => ["  statement {", ...extra, "    principals {", '      type        = "*"'];
    const line = '      identifiers = ["*"]';
    expect(labels(hitsForAdded(infraExposure, "infra/iam.tf", line, doc(['    effect = "Allow"'])))).toEqual([[5, "public principal (*)"]]);
    expect(hitsForAdded(infraExposure, "infra/iam.tf", line, doc(['    effect = "Deny"']))).toEqual([]);
    expect(hitsForAdded(infraExposure, "infra/iam.tf", '    actions = ["*"]', ["  statement {", '    effect = "Deny"'])).toEqual([]);
  });
  it("YAML statements: a Deny in the previous list item does not hide an Allow", () => {
    const ctx = ["        Statement:", "          - Effect: Deny", "            Principal: '*'", "            Action: 's3:*'", "          - Effect: Allow"];
    expect(labels(hitsForAdded(infraExposure, "cloudformation/template.yaml", "            Principal: '*'", ctx))).toEqual([[6, "public principal (*)"]]);
    expect(hitsForAdded(infraExposure, "cloudformation/template.yaml", "            Principal: '*'", ctx.slice(0, 2))).toEqual([]);
  });
  it("a `*` list item fires only under an Action key", () => {
    expect(labels(hitsForAdded(infraExposure, "cloudformation/template.yaml", "              - '*'", ["          - Effect: Allow", "            Action:"]))).toEqual([
      [3, "wildcard IAM action"],
    ]);
    expect(hitsForAdded(infraExposure, "cloudformation/template.yaml", "              - '*'", ["          - Effect: Allow", "            Resource:"])).toEqual([]);
  });
});

describe("infra-exposure: gateways and network policies", () => {
  const gw = ["apiVersion: networking.istio.io/v1beta1", "kind: Gateway", "spec:", "  servers:", "    - port:", "        number: 443", "      hosts:"];
  it("a wildcard host added to an existing Gateway fires; on a VirtualService it does not", () => {
    expect(labels(hitsForAdded(infraExposure, "k8s/gateway.yaml", '        - "*"', gw))).toEqual([[8, "Gateway accepting any host"]]);
    const vs = ["kind: VirtualService", "spec:", "  hosts:"];
    expect(hitsForAdded(infraExposure, "k8s/vs.yaml", '    - "*"', vs)).toEqual([]);
  });
  it("a whole new Gateway fires once, on its kind", () => {
    const lines = ["apiVersion: networking.istio.io/v1beta1", "kind: Gateway", "spec:", "  servers:", "    - hosts:", '        - "*"'];
    expect(labels(hitsForAdded(infraExposure, "k8s/gateway.yaml", lines))).toEqual([[2, "Gateway"]]);
  });
  it("an empty ingress rule allows everything; an empty egress rule is not read", () => {
    expect(labels(hitsForAdded(infraExposure, "k8s/netpol.yaml", "    - {}", ["spec:", "  ingress:"]))).toEqual([[3, "NetworkPolicy allows all ingress"]]);
    expect(hitsForAdded(infraExposure, "k8s/netpol.yaml", "    - {}", ["spec:", "  egress:"])).toEqual([]);
  });
});

describe("infra-exposure: hostile input", () => {
  const hostile = [
    "a".repeat(2000),
    " ".repeat(1999) + "x",
    `cidr_blocks = [${'"0.0.0.0/0x", '.repeat(140)}`,
    "0.0.0.0/".repeat(250),
    `${"- ".repeat(999)}x`,
    `"Principal": ${"{".repeat(1985)}`,
    `source_address_prefix = ${"[".repeat(1975)}`,
    `  - ${"1:".repeat(998)}`,
    `${'"s3:'.repeat(500)}`,
    `description: ${"|".repeat(1987)}`,
  ];
  const paths = [tf, "k8s/service.yaml", "docker-compose.yml", "policies/policy.json"];
  it("2,000-character lines complete and do not fire", () => {
    for (const path of paths) {
      for (const line of hostile) expect(hitsForAdded(infraExposure, path, line, ["spec:", "  ingress:"]), `${path}: ${line.slice(0, 20)}`).toEqual([]);
    }
  });
  it("a deep file of nested blocks completes", () => {
    const ctx = Array.from({ length: 400 }, (_, i) => `${" ".repeat(i % 50)}k${i}:`);
    expect(hitsForAdded(infraExposure, "k8s/service.yaml", "      cidr: 10.1.0.0/16", ctx)).toEqual([]);
  });
});
