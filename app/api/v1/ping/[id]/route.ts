import { getFloor } from "@/lib/api/floor";

export const dynamic = "force-dynamic";

export const GET = getFloor;
